// `import StatNet` gives the compute core too: the network, its layers and Adam.
@_exported import StatNetCore
