"""(A copy of the specification's PyTorch speed reference, unchanged but for this path.)

Training-throughput reference: the paper's MLPNet / StatNet in PyTorch on the CPU.

Same architecture and settings as spec/EXPERIMENTS.md (four Linear(784->1024)+ReLU+Dropout(0.5)
branches, Linear(4096->10), Adam lr 1e-3, batch 64, cross-entropy), timed over steady-state
training steps on in-memory data. Prints one JSON line per model with images per second.

Set-up, once (a CPU build of torch is served to pip on these machines):
    python3 -m venv "$HOME/.torch-venv" && "$HOME/.torch-venv/bin/pip" install "torch==2.13.0+cpu" numpy
Run:
    "$HOME/.torch-venv/bin/python" docs/python/torch_bench.py --threads 2
Compare with the project's own benchmark run right before or after, on the same machine and
the same thread count: these machines are noisy, so only the ratio of two close runs counts.
"""
import argparse, json, time
import torch, torch.nn as nn


class Net(nn.Module):
    def __init__(self, stat):
        super().__init__()
        self.stat = stat
        self.branches = nn.ModuleList(
            [nn.Sequential(nn.Linear(784, 1024), nn.ReLU(inplace=True), nn.Dropout(0.5)) for _ in range(4)])
        self.neck = nn.Linear(4096, 10)

    def forward(self, x):  # x: (batch, 4 channels, 784)
        return self.neck(torch.cat([b(x[:, i if self.stat else 0]) for i, b in enumerate(self.branches)], 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["statnet", "mlpnet", "both"], default="both")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=300)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name in (["statnet", "mlpnet"] if a.model == "both" else [a.model]):
        net = Net(name == "statnet").train()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        x = torch.rand(a.batch * 50, 4, 784)
        y = torch.randint(0, 10, (a.batch * 50,))

        def step(i):
            j = (i % 50) * a.batch
            loss = nn.functional.cross_entropy(net(x[j:j + a.batch]), y[j:j + a.batch])
            opt.zero_grad(); loss.backward(); opt.step()

        for i in range(20):
            step(i)
        t = time.perf_counter()
        for i in range(a.steps):
            step(i)
        dt = time.perf_counter() - t
        print(json.dumps({"impl": "pytorch-" + torch.__version__, "model": name, "threads": a.threads,
                          "batch": a.batch, "images_per_s": round(a.batch * a.steps / dt, 1)}))


if __name__ == "__main__":
    main()
