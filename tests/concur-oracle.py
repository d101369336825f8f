#!/usr/bin/python3
"""concur-oracle.py - check gp-concur's answers with networkx, independently.

Reads a gp stream that gp-concur wrote (standard input), rebuilds the
dependency DAG of its subgraph records with networkx, and recomputes every
answer another way:

  stages          longest path (in subgraphs) ending at each subgraph
  max_parallel    the most subgraphs with one stage
  max_antichain   Dilworth: n - maximum matching of the transitive closure
  critical path   the longest chain, ties broken by FLOPs (networkx's
                  dag_longest_path on a graph weighted that way)
  peak memory     the subgraphs run in record order, every tensor freed after
                  its last reader unless it is a graph output (through views)

Prints one line per disagreement and exits 1 if there is any; prints
"agree: N subgraphs" and exits 0 otherwise. Needs python3-networkx only.
"""
import sys
import urllib.parse

import networkx as nx

VIEWS = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"}


def unesc(s):
    return urllib.parse.unquote(s)


def split(field):
    return [] if field == "." else [unesc(x) for x in field.split(",")]


def read(f):
    hdr, cols, rows = {}, {}, {}
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("##"):
            k, _, v = line[2:].partition("\t")
            hdr.setdefault(k, v)
        elif line.startswith("#"):
            t, *c = line[1:].split("\t")
            cols[t] = {n: i for i, n in enumerate(c)}
            rows[t] = []
        else:
            t, *v = line.split("\t")
            rows[t].append(v)
    return hdr, cols, rows


def kv(line):
    return dict(x.split("=", 1) for x in line.split("\t"))


def main():
    hdr, cols, rows = read(sys.stdin)
    sc, sg = cols["subgraph"], rows["subgraph"]
    got = kv(hdr["concur"])
    n = len(sg)
    ids = [int(r[sc["id"]]) for r in sg]
    flops = [int(r[sc["flops"]]) if r[sc["flops"]] != "." else 0 for r in sg]
    writer = {}
    for v, r in enumerate(sg):
        for t in split(r[sc["outputs"]]):
            writer[t] = v
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    reads = []
    for v, r in enumerate(sg):
        ins = set(split(r[sc["inputs"]]))
        reads.append(ins)
        for t in ins:
            if t in writer:
                G.add_edge(writer[t], v)
    assert nx.is_directed_acyclic_graph(G)
    bad = []

    def check(what, want, have):
        if str(want) != str(have):
            bad.append(f"{what}: networkx says {want}, gp-concur says {have}")

    # stages
    stage = {}
    for v in nx.topological_sort(G):
        stage[v] = 1 + max((stage[u] for u in G.predecessors(v)), default=0)
    for v in range(n):
        check(f"stage of subgraph {ids[v]}", stage[v], sg[v][sc["stage"]])
    nst = max(stage.values(), default=0)
    check("stages", nst, got["stages"])
    widths = [sum(1 for v in range(n) if stage[v] == s) for s in range(1, nst + 1)]
    check("max_parallel", max(widths, default=0), got["max_parallel"])

    # the largest antichain: Dilworth via bipartite matching on the closure
    C = nx.transitive_closure_dag(G)
    B = nx.Graph()
    left = [("l", v) for v in range(n)]
    B.add_nodes_from(left, bipartite=0)
    B.add_nodes_from((("r", v) for v in range(n)), bipartite=1)
    B.add_edges_from((("l", u), ("r", v)) for u, v in C.edges())
    match = nx.bipartite.hopcroft_karp_matching(B, top_nodes=left)
    check("max_antichain", n - len(match) // 2, got["max_antichain"])

    # the critical path by ops, ties by FLOPs: node weight 1 + flops / (total + 1)
    if got.get("critical_weight") == "ops":
        tot = sum(flops) + 1
        H = nx.DiGraph()
        H.add_node("s")
        for v in range(n):
            H.add_edge("s", v, w=(1 + flops[v] / tot))
        for u, v in G.edges():
            H.add_edge(u, v, w=(1 + flops[v] / tot))
        length = nx.dag_longest_path_length(H, weight="w")
        ops = int(length)
        check("critical_ops", ops, got["critical_ops"])
        on = [v for v in range(n) if sg[v][sc["critical"]] == "1"]
        check("critical subgraphs", ops, len(on))
        cf = sum(flops[v] for v in on)
        check("critical_flops", round((length - ops) * tot), cf)
        check("critical_flops (header)", cf, got["critical_flops"])
        path_ok = all(G.has_edge(a, b) for a, b in zip(on, on[1:]))
        check("critical subgraphs form a path", True, path_ok)

    # peak memory, in record order
    tc, trows = cols["tensor"], rows["tensor"]
    size = {}
    for r in trows:
        if r[tc["graph"]] == "0":
            size[unesc(r[tc["name"]])] = r[tc["bytes"]]
    nc = cols["node"]
    viewof = {}
    for r in rows["node"]:
        if r[nc["graph"]] == "0" and r[nc["op"]] in VIEWS:
            i, o = split(r[nc["inputs"]]), split(r[nc["outputs"]])
            if i and o:
                viewof[o[0]] = i[0]
    gc = cols["graph"]
    keep = set()
    for r in rows["graph"]:
        if r[gc["id"]] == "0":
            for t in split(r[gc["outputs"]]):
                while t in viewof:
                    t = viewof[t]
                keep.add(t)
    if got.get("order") == "topo" and got["peak_activation_bytes"] != ".":
        tensors = set(writer) | set().union(*reads) if reads else set(writer)
        left = {t: sum(1 for v in range(n) if t in reads[v]) for t in tensors}
        live = sum(int(size[t]) for t in tensors if t not in writer)
        peak, at = live, None
        for v in range(n):
            outs = split(sg[v][sc["outputs"]])
            step = live + sum(int(size[t]) for t in outs)
            check(f"live_bytes of subgraph {ids[v]}", step, sg[v][sc["live_bytes"]])
            if at is None or step > peak:
                peak, at = step, ids[v]
            for t in reads[v]:
                left[t] -= 1
                if left[t] == 0 and t not in keep:
                    step -= int(size[t])
            for t in outs:
                if left[t] == 0 and t not in keep:
                    step -= int(size[t])
            live = step
        check("peak_activation_bytes", peak, got["peak_activation_bytes"])
        check("peak_at", at, got["peak_at"])
    for b in bad:
        print(b)
    if not bad:
        print(f"agree: {n} subgraphs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
