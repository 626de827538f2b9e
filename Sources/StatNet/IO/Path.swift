/// Joining paths as text: `Path.join("runs", "m1")` is `runs/m1`. No file system call and no
/// normalisation beyond the one separator between the parts, so what a user typed stays
/// recognisable in every message.
public enum Path {
    /// `directory` and `name` with one `/` between them; `name` alone when `directory` is empty.
    /// A `name` that starts with `/` still lands inside `directory` (never at the root).
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        if name.isEmpty { return directory }
        switch (directory.hasSuffix("/"), name.hasPrefix("/")) {
        case (true, true): return directory + name.dropFirst()
        case (false, false): return directory + "/" + name
        default: return directory + name
        }
    }

    /// `directory` and each of `names` in turn.
    public static func join(_ directory: String, _ first: String, _ rest: String...) -> String {
        rest.reduce(join(directory, first)) { join($0, $1) }
    }
}
