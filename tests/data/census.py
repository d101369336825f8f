#!/usr/bin/python3
"""census.py - list what python3-onnx sees in each data/*.onnx, as the
independent reference for gp-load's test (tests/data/census/NAME.tsv):

    node    OP      NAME        every node of the main graph
    tensor  KIND    NAME        inputs (not initializers), initializers, outputs

Rerun after regenerating the fixtures: /usr/bin/python3 tests/data/census.py
"""
import glob
import os

import onnx

here = os.path.dirname(os.path.abspath(__file__))
for path in sorted(glob.glob(os.path.join(here, "..", "..", "data", "*.onnx"))):
    m = onnx.load(path, load_external_data=False)
    g = m.graph
    inits = {t.name for t in g.initializer}
    rows = [("node", n.op_type, n.name) for n in g.node]
    rows += [("tensor", "input", i.name) for i in g.input if i.name not in inits]
    rows += [("tensor", "initializer", t.name) for t in g.initializer]
    ins = {i.name for i in g.input}
    rows += [("tensor", "output", o.name) for o in g.output if o.name not in inits | ins]
    name = os.path.basename(path)[:-len(".onnx")]
    with open(os.path.join(here, "census", name + ".tsv"), "w") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
