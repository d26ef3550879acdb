#!/usr/bin/env python3
"""The PyTorch side of the neural ODE benchmark (see README.md, "Neural ODE gradients against PyTorch").

A plain PyTorch implementation of exactly the model peers_neural_gradient (neural_gradient.c) runs with librewind:
the same 2-H-H-2 network (nn.Linear, tanh, tanh, identity) with the same parameters, the same inputs and target
(read from the neural_<case>.txt files the C harness writes), the same Butcher tableau (rk4 or dopri5, as in
native/src/ts/rk_tableaus.cpp), the same fixed steps (librewind's rule for landing on the end time) and the same
loss (mean squared error of y(T)). The gradient is plain autograd through the explicit RK steps
("discretize-then-optimize" backpropagation), in float64, with torch.set_num_threads(--threads, default 1: librewind
is single-threaded). Every configuration runs in a fresh child process, so that its peak RSS is its own.

    neural_gradient_torch.py [--data-dir DIR] [--cases small,large] [--methods rk4,dopri5] [--min-time S]
                             [--min-reps N] [--threads N] [--csv PATH]
    neural_gradient_torch.py --report [--data-dir DIR] [--results DIR] [--name NAME]   (standard library only)

The first form measures (torch needed) and writes DIR/torch.csv; it also compares PyTorch's loss, y(T) and dL/dp
with librewind's (DIR/rewind_<case>_<method>_<kernel>.txt) and prints the differences. The second merges
DIR/rewind.csv and DIR/torch.csv into the summary table (stdout), RESULTS/NAME.csv and RESULTS/NAME_rates.csv
(NAME: neural_gradient unless --name says otherwise).
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Butcher tableaus, as librewind builds them (native/src/ts/rk_tableaus.cpp). dopri5's 7th stage (first same as
# last) has b_7 = 0 and feeds no other stage of the step, so neither side uses it for y_{n+1}; librewind evaluates it
# once more per solve (it is the next step's first stage), PyTorch does not.
TABLEAUS = {
    "rk4": {
        "a": [[], [0.5], [0.0, 0.5], [0.0, 0.0, 1.0]],
        "b": [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6],
    },
    "dopri5": {
        "a": [
            [],
            [1.0 / 5],
            [3.0 / 40, 9.0 / 40],
            [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        ],
        "b": [35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    },
}


def step_sizes(t0, t1, steps):
    """librewind's fixed steps (native/src/ts/ts.cpp, toward()): dt = (t1 - t0) / steps, and the step that would
    land within a relative hair (1e-10) of t1 is shortened to land on it exactly."""
    dt = (t1 - t0) / steps
    t, hs = t0, []
    while t < t1:
        landing = t + dt * (1.0 + 1e-10) >= t1
        h = t1 - t if landing else dt
        hs.append(h)
        t = t1 if landing else t + h
    return hs


def read_arrays(path):
    """Keyword lines ("key value...") and arrays ("name count" followed by count lines)."""
    keys, arrays = {}, {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        parts = lines[i].split()
        i += 1
        if not parts:
            continue
        if len(parts) == 2 and parts[0] in ("p", "y0", "target", "yT", "dl_dp", "dl_dy0"):
            count = int(parts[1])
            arrays[parts[0]] = [float(v) for v in lines[i:i + count]]
            i += count
        else:
            keys[parts[0]] = parts[1:]
    return keys, arrays


def rss_now():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss():
    """Linux >= 4.0: resets VmHWM (what ru_maxrss reports) to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def blas_libraries():
    """The BLAS files mapped into this process (Debian's torch takes dgemm from the libblas.so.3 alternative)."""
    found = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if "blas" in os.path.basename(path) and path not in found:
                    found.append(path)
    except OSError:
        pass
    return " ".join(os.path.realpath(p) for p in found) or "?"


def gemm_flops_per_eval(batch, sizes):
    return sum(2.0 * batch * sizes[k] * sizes[k + 1] for k in range(len(sizes) - 1))


# ---- one configuration (child process) ------------------------------------------------------------------------

def run_child(args):
    import torch
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_default_dtype(torch.float64)
    keys, arrays = read_arrays(os.path.join(args.data_dir, "neural_%s.txt" % args.child_case))
    batch = int(keys["batch"][0])
    sizes = [int(v) for v in keys["sizes"]]
    acts = keys["activations"]
    steps = int(keys["steps"][0])
    t0, t1 = float(keys["t0"][0]), float(keys["t1"][0])
    tab = TABLEAUS[args.child_method]
    gradient = args.child_mode == "gradient"

    # the network: nn.Linear layers with librewind's parameters (W row-major out x in, then b, per layer)
    layers, at = [], 0
    flat = torch.tensor(arrays["p"])
    for k in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[k], sizes[k + 1])
        with torch.no_grad():
            nw = sizes[k] * sizes[k + 1]
            lin.weight.copy_(flat[at:at + nw].view(sizes[k + 1], sizes[k]))
            lin.bias.copy_(flat[at + nw:at + nw + sizes[k + 1]])
        at += nw + sizes[k + 1]
        layers.append(lin)
        if acts[k] == "tanh":
            layers.append(torch.nn.Tanh())
        elif acts[k] != "identity":
            raise SystemExit("activation %s is not supported here" % acts[k])
    net = torch.nn.Sequential(*layers)
    params = list(net.parameters())
    y0 = torch.tensor(arrays["y0"]).view(batch, sizes[0])
    target = torch.tensor(arrays["target"]).view(batch, sizes[0])
    hs = step_sizes(t0, t1, steps)
    a, b = tab["a"], tab["b"]
    stages = len(b)

    def solve(y):
        for h in hs:
            k = []
            for i in range(stages):
                Y = y
                for j, aij in enumerate(a[i]):
                    if aij != 0.0:
                        Y = Y.add(k[j], alpha=h * aij)
                k.append(net(Y))
            for j, bj in enumerate(b):
                if bj != 0.0:
                    y = y.add(k[j], alpha=h * bj)
        return y

    def iteration():
        if gradient:
            for prm in params:
                prm.grad = None
            yT = solve(y0)
            loss = ((yT - target) ** 2).mean()
            loss.backward()
        else:
            with torch.no_grad():
                yT = solve(y0)
                loss = ((yT - target) ** 2).mean()
        return yT, loss

    baseline = rss_now()
    hwm_reset = reset_peak_rss()
    cpu, wall = [], []
    total = 0.0
    yT, loss = iteration()  # warm-up
    while len(cpu) < args.min_reps or total < args.min_time:
        w0, u0 = time.perf_counter(), time.process_time()
        yT, loss = iteration()
        du, dw = time.process_time() - u0, time.perf_counter() - w0
        cpu.append(du)
        wall.append(dw)
        total += du
    peak = peak_rss() - baseline

    result = {
        "side": "torch", "case": args.child_case, "batch": batch, "hidden": sizes[1], "method": args.child_method,
        "steps": len(hs), "kernel": "torch", "mode": args.child_mode, "ok": 1, "reps": len(cpu),
        "cpu_median_s": median(cpu), "cpu_min_s": min(cpu), "wall_median_s": median(wall),
        "f_evals": stages * len(hs), "vjp_evals": stages * len(hs) if gradient else 0,
        "rss_baseline_bytes": baseline, "rss_peak_delta_bytes": peak, "hwm_reset": int(hwm_reset),
        "loss": repr(float(loss)), "threads": torch.get_num_threads(), "torch": torch.__version__,
        "blas": blas_libraries(),
    }
    # GEMM flops: F per network evaluation, and 2F per backward through one (autograd kept the activations, so
    # unlike librewind's vjp it does not run the forward pass again; the very first stage's dL/dy0 product, which
    # autograd skips, is counted anyway: it is 2 * batch * 2 * hidden flops of F's 2 * batch * ~hidden^2)
    fe = gemm_flops_per_eval(batch, sizes)
    result["flops"] = fe * (result["f_evals"] + 2 * result["vjp_evals"])
    result["gflops"] = 1e-9 * result["flops"] / result["cpu_median_s"]

    if gradient:
        # What autograd keeps for the backward pass: the unique storages of the saved tensors, parameters excluded
        # (one more, untimed iteration with saved-tensor hooks).
        own = {prm.data_ptr() for prm in params} | {y0.data_ptr(), target.data_ptr()}
        seen = {}

        def pack(t):
            try:
                s = t.storage()
                key, size = s.data_ptr(), s.nbytes()
            except Exception:  # noqa: BLE001 - any tensor without a plain storage: count its own bytes
                key, size = id(t), t.element_size() * t.nelement()
            if key not in own:
                seen[key] = max(seen.get(key, 0), size)
            return t

        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            for prm in params:
                prm.grad = None
            yT_h = solve(y0)
            loss_h = ((yT_h - target) ** 2).mean()
        loss_h.backward()
        result["bytes_kept"] = sum(seen.values())
        # agreement with librewind (same discrete solution): loss, y(T), dL/dp in librewind's parameter order
        grad = torch.cat([prm.grad.reshape(-1) for prm in params]).tolist()
        yt = yT.detach().reshape(-1).tolist()
        worst = None
        for kernel in ("builtin", "blas"):
            path = os.path.join(args.data_dir, "rewind_%s_%s_%s.txt" % (args.child_case, args.child_method, kernel))
            if not os.path.exists(path):
                continue
            rk, ra = read_arrays(path)
            rl = float(rk["loss"][0])
            dl = abs(float(loss) - rl) / abs(rl)
            dy = max(abs(u - v) for u, v in zip(yt, ra["yT"])) / max(abs(v) for v in ra["yT"])
            g = ra["dl_dp"]
            dg2 = math.sqrt(sum((u - v) ** 2 for u, v in zip(grad, g))) / math.sqrt(sum(v * v for v in g))
            dgmax = max(abs(u - v) for u, v in zip(grad, g)) / max(abs(v) for v in g)
            result["agree_" + kernel] = "loss %.2e yT %.2e grad2 %.2e gradmax %.2e" % (dl, dy, dg2, dgmax)
            cand = max(dl, dy, dg2, dgmax)
            worst = cand if worst is None else max(worst, cand)
        result["agreement"] = worst if worst is not None else ""
    else:
        result["bytes_kept"] = 0
    print(repr(result))


def median(v):
    s = sorted(v)
    m = len(s)
    return s[m // 2] if m % 2 else 0.5 * (s[m // 2 - 1] + s[m // 2])


# ---- measuring all configurations -----------------------------------------------------------------------------

CSV_FIELDS = ["side", "case", "batch", "hidden", "method", "steps", "kernel", "mode", "ok", "reps", "cpu_median_s",
              "cpu_min_s", "wall_median_s", "f_evals", "vjp_evals", "flops", "gflops", "bytes_kept",
              "rss_baseline_bytes", "rss_peak_delta_bytes", "hwm_reset", "loss", "agreement", "agree_builtin",
              "agree_blas", "threads", "torch", "blas", "message"]


def run_all(args):
    out_csv = args.csv or os.path.join(args.data_dir, "torch.csv")
    rows = []
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", str(args.threads))
    env.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    env.setdefault("MKL_NUM_THREADS", str(args.threads))
    print("# PyTorch side: autograd through the explicit RK steps, float64, %d thread(s); time = median process-CPU "
          "time per iteration" % args.threads)
    print("%-6s %-7s %-9s %10s %10s %9s %6s %8s %9s %9s %5s  %s" % (
        "case", "method", "mode", "ms/iter", "wall ms", "grad/fwd", "f", "GFLOP/s", "kept MiB", "RSS+ MiB", "reps",
        "max rel. difference to librewind (loss, y(T), dL/dp)"))
    blas_shown = False
    for case in args.cases.split(","):
        if not os.path.exists(os.path.join(args.data_dir, "neural_%s.txt" % case)):
            print("%s: no %s/neural_%s.txt (run peers_neural_gradient first)" % (case, args.data_dir, case))
            continue
        for method in args.methods.split(","):
            grad_time = None
            for mode in ("gradient", "forward"):
                cmd = [sys.executable, os.path.abspath(__file__), "--child", case, method, mode, "--data-dir",
                       args.data_dir, "--min-time", str(args.min_time), "--min-reps", str(args.min_reps),
                       "--threads", str(args.threads)]
                proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                                      env=env)
                row = None
                if proc.returncode == 0:
                    try:
                        row = eval(proc.stdout.strip().splitlines()[-1], {"__builtins__": {}})  # our own repr()
                    except Exception:  # noqa: BLE001
                        row = None
                if row is None:
                    msg = (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
                    row = {"side": "torch", "case": case, "method": method, "mode": mode, "ok": 0, "message": msg}
                    print("%-6s %-7s %-9s FAILED: %s" % (case, method, mode, msg))
                    rows.append(row)
                    continue
                rows.append(row)
                if not blas_shown:
                    print("# torch %s, %d thread(s), dgemm from %s" % (row["torch"], row["threads"], row["blas"]))
                    blas_shown = True
                ratio = ""
                if mode == "gradient":
                    grad_time = row["cpu_median_s"]
                elif grad_time:
                    ratio = "%.2f" % (grad_time / row["cpu_median_s"])
                print("%-6s %-7s %-9s %10.2f %10.2f %9s %6d %8.2f %9.2f %9.2f %5d  %s" % (
                    case, method, mode, 1e3 * row["cpu_median_s"], 1e3 * row["wall_median_s"], ratio,
                    row["f_evals"], row["gflops"], row["bytes_kept"] / 2**20, row["rss_peak_delta_bytes"] / 2**20,
                    row["reps"], "%.2e" % row["agreement"] if row.get("agreement", "") != "" else ""))
                for kernel in ("builtin", "blas"):
                    if row.get("agree_" + kernel):
                        print("         vs librewind %-7s: %s" % (kernel, row["agree_" + kernel]))
                sys.stdout.flush()
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    print("# rows: %s" % out_csv)
    return 0 if all(r.get("ok") for r in rows) else 1


# ---- the summary table (standard library only) ----------------------------------------------------------------

def load_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fnum(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return None


def report(args):
    rw = load_csv(os.path.join(args.data_dir, "rewind.csv"))
    th = load_csv(os.path.join(args.data_dir, "torch.csv"))
    if not rw:
        print("no %s/rewind.csv: run peers_neural_gradient first" % args.data_dir)
        return 1
    ok = lambda r: r.get("ok") == "1"  # noqa: E731
    timings = [r for r in rw + th if r.get("mode") in ("gradient", "forward")]
    rates = {(r["case"], r["kernel"]): fnum(r, "gflops") for r in rw if r.get("side") == "kernel"}

    def find(side, case, method, kernel, mode):
        for r in timings:
            if (r["side"], r["case"], r["method"], r["kernel"], r["mode"]) == (side, case, method, kernel, mode):
                return r if ok(r) else None
        return None

    cases = []
    for r in timings:
        if (r["case"], r["method"]) not in cases:
            cases.append((r["case"], r["method"]))
    lines = []
    out = lines.append
    out("# Neural ODE gradient: librewind (native network field, discrete adjoint, store-all) vs PyTorch (autograd")
    out("# through the same RK steps). Times: median process-CPU ms per iteration; kept = bytes the trajectory")
    out("# (librewind) / autograd's saved tensors (PyTorch) hold; RSS+ = peak RSS of the gradient iteration above")
    out("# the process's RSS before it; GFLOP/s = GEMM flops of the gradient iteration / its time.")
    header = "%-6s %-7s %-18s %9s %9s %8s %9s %9s %8s %11s" % (
        "case", "method", "implementation", "grad ms", "fwd ms", "grad/fwd", "kept MiB", "RSS+ MiB", "GFLOP/s",
        "torch/this")
    summary = []
    csv_rows = []
    for case, method in cases:
        out("")
        first = next(r for r in timings if r["case"] == case)
        out("## %s (batch %s, 2-%s-%s-2), %s, %s steps" % (case, first["batch"], first["hidden"], first["hidden"],
                                                           method, first["steps"]))
        out(header)
        tg = find("torch", case, method, "torch", "gradient")
        tf = find("torch", case, method, "torch", "forward")
        impls = [("rewind", k, "librewind " + k) for k in ("builtin", "blas")] + [("torch", "torch", "pytorch")]
        for side, kernel, label in impls:
            g = find(side, case, method, kernel, "gradient")
            f = find(side, case, method, kernel, "forward")
            if g is None and f is None:
                continue
            gt = fnum(g, "cpu_median_s") if g else None
            ft = fnum(f, "cpu_median_s") if f else None
            ratio = tg and gt and fnum(tg, "cpu_median_s") / gt
            out("%-6s %-7s %-18s %9s %9s %8s %9s %9s %8s %11s" % (
                case, method, label,
                "%.2f" % (1e3 * gt) if gt else "-",
                "%.2f" % (1e3 * ft) if ft else "-",
                "%.2f" % (gt / ft) if gt and ft else "-",
                "%.2f" % (fnum(g, "bytes_kept") / 2**20) if g else "-",
                "%.2f" % (fnum(g, "rss_peak_delta_bytes") / 2**20) if g else "-",
                "%.2f" % fnum(g, "gflops") if g else "-",
                "%.2f" % ratio if ratio and side == "rewind" else "-"))
            csv_rows.append({
                "case": case, "batch": first["batch"], "hidden": first["hidden"], "method": method,
                "steps": first["steps"], "implementation": label,
                "grad_ms": gt and 1e3 * gt, "fwd_ms": ft and 1e3 * ft, "grad_over_fwd": gt and ft and gt / ft,
                "grad_wall_ms": g and 1e3 * fnum(g, "wall_median_s"), "fwd_wall_ms": f and 1e3 * fnum(f, "wall_median_s"),
                "grad_reps": g and g["reps"], "fwd_reps": f and f["reps"],
                "f_evals": g and g["f_evals"], "vjp_evals": g and g["vjp_evals"],
                "bytes_kept": g and g["bytes_kept"], "rss_peak_delta_grad_bytes": g and g["rss_peak_delta_bytes"],
                "rss_peak_delta_fwd_bytes": f and f["rss_peak_delta_bytes"],
                "gflops_grad": g and fnum(g, "gflops"), "gflops_fwd": f and fnum(f, "gflops"),
                "torch_over_this": ratio if side == "rewind" else "",
                "loss": g and g["loss"], "agreement_with_librewind": g.get("agreement", "") if g and side == "torch" else "",
            })
        net = ["network alone (forward + vjp, no solver): builtin %.2f" % rates[(case, "net_builtin")]
               if rates.get((case, "net_builtin")) else None,
               "blas %.2f" % rates[(case, "net_blas")] if rates.get((case, "net_blas")) else None,
               "plain dgemm on the same shapes %.2f" % rates[(case, "dgemm_sequence")]
               if rates.get((case, "dgemm_sequence")) else None,
               "largest product alone %.2f GFLOP/s" % rates[(case, "dgemm_largest")]
               if rates.get((case, "dgemm_largest")) else None]
        net = [s for s in net if s]
        if net:
            out("GFLOP/s: " + ", ".join(net))
        if tg is not None and tg.get("agreement"):
            out("PyTorch vs librewind, same discrete solution: max relative difference of loss, y(T), dL/dp = %.2e"
                % float(tg["agreement"]))
        elif tg is None:
            out("PyTorch: no rows (not run, torch not importable, or it failed)")
        # targets
        for kernel in ("builtin", "blas"):
            g = find("rewind", case, method, kernel, "gradient")
            f = find("rewind", case, method, kernel, "forward")
            if g is None:
                continue
            gt = fnum(g, "cpu_median_s")
            item = {"case": case, "method": method, "kernel": kernel}
            if tg is not None:
                item["ratio"] = fnum(tg, "cpu_median_s") / gt
            if f is not None:
                item["grad_over_fwd"] = gt / fnum(f, "cpu_median_s")
            summary.append(item)
    out("")
    out("# targets (issue 5): torch/librewind >= 3 at small (batch 256, hidden 64); >= 1 at large (batch 4096,")
    out("# hidden 256); librewind gradient / forward <= 3 (store-all)")
    for s in summary:
        target = 3.0 if s["case"] == "small" else 1.0
        parts = []
        if "ratio" in s:
            parts.append("torch/librewind %.2f (target >= %g: %s)" % (s["ratio"], target,
                                                                      "met" if s["ratio"] >= target else "NOT met"))
        if "grad_over_fwd" in s:
            parts.append("grad/fwd %.2f (<= 3: %s)" % (s["grad_over_fwd"], "met" if s["grad_over_fwd"] <= 3 else "NOT met"))
        out("%-6s %-7s %-8s %s" % (s["case"], s["method"], s["kernel"], "; ".join(parts)))
    text = "\n".join(lines)
    print(text)
    if args.results:
        os.makedirs(args.results, exist_ok=True)
        fields = ["case", "batch", "hidden", "method", "steps", "implementation", "grad_ms", "fwd_ms",
                  "grad_over_fwd", "grad_wall_ms", "fwd_wall_ms", "grad_reps", "fwd_reps", "f_evals", "vjp_evals",
                  "bytes_kept", "rss_peak_delta_grad_bytes", "rss_peak_delta_fwd_bytes", "gflops_grad", "gflops_fwd",
                  "torch_over_this", "loss", "agreement_with_librewind"]
        path = os.path.join(args.results, args.name + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            for r in csv_rows:
                w.writerow({k: ("%.6g" % v if isinstance(v, float) else ("" if v is None else v))
                            for k, v in r.items()})
            # the kernel rates as extra rows
        with open(os.path.join(args.results, args.name + "_rates.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["case", "what", "gflops"])
            for (case, what), v in sorted(rates.items()):
                w.writerow([case, what, "%.6g" % v if v else ""])
        print("# summary rows: %s (GFLOP/s of the kernels: %s_rates.csv)" % (path, args.name))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=os.path.join(os.environ.get("TMPDIR") or "/tmp", "peers-neural"))
    ap.add_argument("--cases", default="small,large")
    ap.add_argument("--methods", default="rk4,dopri5")
    ap.add_argument("--min-time", type=float, default=1.0)
    ap.add_argument("--min-reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--csv")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--results", default=None, help="with --report: where NAME.csv and NAME_rates.csv go")
    ap.add_argument("--name", default="neural_gradient", help="with --report: file name stem (default %(default)s)")
    ap.add_argument("--child", nargs=3, metavar=("CASE", "METHOD", "MODE"))
    args = ap.parse_args()
    if args.report:
        return report(args)
    if args.child:
        args.child_case, args.child_method, args.child_mode = args.child
        run_child(args)
        return 0
    try:
        import torch  # noqa: F401
    except ImportError as e:
        print("PyTorch is not available (%s); apt-get install python3-torch" % e)
        return 3
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
