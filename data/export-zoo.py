#!/usr/bin/python3
"""Export the gp test-fixture ONNX models (and, on demand, benchmark models).

Models are built with random weights (torchvision ``weights=None`` plus a fixed
seed; nothing is ever downloaded), exported with ``torch.onnx.export`` in eval
mode, checked with ``onnx.checker``, and then -- unless ``--keep-weights`` is
given -- *weight-stripped* by stripweights.py: every tensor with more than 64
elements is turned into an external-data reference to ``<model>.weights``, a
file that is never written.  Dims and data types are kept, so the graph stays fully analysable
(shapes, parameter counts, FLOPs) while the committed file stays small.

Besides torchvision models the fixture set holds two small transformers
written in plain torch, bert-tiny and gpt-tiny (with a KV cache), which are
checked numerically in torch before they are exported.

Run with Debian's python (torch 1.13, torchvision 0.14, onnx 1.12):

    /usr/bin/python3 data/export-zoo.py                 # default fixture set -> data/
    /usr/bin/python3 data/export-zoo.py --list          # what can be exported
    /usr/bin/python3 data/export-zoo.py --keep-weights -o /tmp/gp-bench resnet50
    /usr/bin/python3 data/export-zoo.py --zoo -o /tmp/gp-zoo

One line per model is printed on stderr:
    <name> opset=<N> nodes=<N> initializers=<N> bytes=<N>
"""

import argparse
import gc
import math
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings

import torch
import torchvision
import onnx

import stripweights

SEED = 0
GENERIC_OPSET = 17  # opset for torchvision models not in the fixture set

# Default fixture set, in export order.
DEFAULT_SET = ["resnet18", "resnet18-bn", "mobilenet_v2", "efficientnet_b0",
               "tiny-encoder", "googlenet", "densenet121", "bert-tiny",
               "gpt-tiny"]


# ----------------------------------------------------------------------------
# Model construction

class TinyEncoder(torch.nn.Module):
    """2-layer transformer encoder (d_model 64, 4 heads, FFN 128) + Linear."""

    D_MODEL, N_HEAD, N_LAYERS, FFN, OUT = 64, 4, 2, 128, 32

    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(
            d_model=self.D_MODEL, nhead=self.N_HEAD,
            dim_feedforward=self.FFN, dropout=0.0, batch_first=True)
        # enable_nested_tensor=False: never take the nested-tensor path.
        self.encoder = torch.nn.TransformerEncoder(
            layer, num_layers=self.N_LAYERS, enable_nested_tensor=False)
        self.head = torch.nn.Linear(self.D_MODEL, self.OUT)
        # TransformerEncoder deep-copies `layer`, so all layers start out with
        # identical weights; re-initialise each sub-module so they differ.
        for m in self.modules():
            if m is not self and hasattr(m, "_reset_parameters"):
                m._reset_parameters()
            elif m is not self and hasattr(m, "reset_parameters"):
                m.reset_parameters()

    def forward(self, x):
        return self.head(self.encoder(x))


# Head counts and sizes are Python ints, so only batch and seq are read from
# the shapes (Shape -> Gather -> Concat -> Reshape in the export).

def split_heads(t, n_head, head_dim):
    """[batch, seq, d] -> [batch, n_head, seq, head_dim]"""
    return t.view(t.shape[0], t.shape[1], n_head, head_dim).transpose(1, 2)


def merge_heads(t, d):
    """[batch, n_head, seq, head_dim] -> [batch, seq, d]"""
    t = t.transpose(1, 2)
    return t.reshape(t.shape[0], t.shape[1], d)


class BertLayer(torch.nn.Module):
    """Post-LayerNorm BERT block, attention spelled out as MatMul, scale,
    mask Add, Softmax, MatMul (torch 1.13 has no scaled_dot_product_attention)."""

    def __init__(self, d, n_head, ffn):
        super().__init__()
        self.d, self.n_head, self.head_dim = d, n_head, d // n_head
        self.query = torch.nn.Linear(d, d)
        self.key = torch.nn.Linear(d, d)
        self.value = torch.nn.Linear(d, d)
        self.attn_out = torch.nn.Linear(d, d)
        self.attn_norm = torch.nn.LayerNorm(d)
        self.ffn_in = torch.nn.Linear(d, ffn)
        self.act = torch.nn.GELU()
        self.ffn_out = torch.nn.Linear(ffn, d)
        self.ffn_norm = torch.nn.LayerNorm(d)

    def forward(self, x, mask):
        q = split_heads(self.query(x), self.n_head, self.head_dim)
        k = split_heads(self.key(x), self.n_head, self.head_dim)
        v = split_heads(self.value(x), self.n_head, self.head_dim)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        probs = torch.softmax(scores + mask, dim=-1)
        ctx = merge_heads(torch.matmul(probs, v), self.d)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.ffn_norm(x + self.ffn_out(self.act(self.ffn_in(x))))


class BertTiny(torch.nn.Module):
    """BERT-style encoder in plain torch: token + learned position embedding,
    LayerNorm, 2 post-LN blocks (d 128, 2 heads, FFN 512, GELU).

    input_ids int64 [batch, seq]; attention_mask int64 [batch, seq] (1 = a
    token, 0 = padding), turned inside into the additive mask
    (1 - mask) * -10000 of shape [batch, 1, 1, seq]; output [batch, seq, 128]."""

    VOCAB, MAX_POS, D, N_HEAD, N_LAYERS, FFN = 1000, 512, 128, 2, 2, 512

    def __init__(self):
        super().__init__()
        self.tok_emb = torch.nn.Embedding(self.VOCAB, self.D)
        self.pos_emb = torch.nn.Embedding(self.MAX_POS, self.D)
        self.emb_norm = torch.nn.LayerNorm(self.D)
        self.layers = torch.nn.ModuleList(
            BertLayer(self.D, self.N_HEAD, self.FFN)
            for _ in range(self.N_LAYERS))

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.emb_norm(self.tok_emb(input_ids) + self.pos_emb(pos))
        mask = attention_mask.unsqueeze(1).unsqueeze(2).to(x.dtype)
        mask = (1.0 - mask) * -10000.0
        for layer in self.layers:
            x = layer(x, mask)
        return x


class GptBlock(torch.nn.Module):
    """Pre-LayerNorm causal self-attention block with a KV cache."""

    def __init__(self, d, n_head, ffn):
        super().__init__()
        self.d, self.n_head, self.head_dim = d, n_head, d // n_head
        self.attn_norm = torch.nn.LayerNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d)
        self.attn_out = torch.nn.Linear(d, d)
        self.mlp_norm = torch.nn.LayerNorm(d)
        self.mlp_in = torch.nn.Linear(d, ffn)
        self.act = torch.nn.GELU()
        self.mlp_out = torch.nn.Linear(ffn, d)

    def forward(self, x, past_key, past_value, future):
        q, k, v = self.qkv(self.attn_norm(x)).split(self.d, dim=-1)
        q = split_heads(q, self.n_head, self.head_dim)
        # present = past ++ new along the sequence axis: [batch, 4, past+seq, 32]
        k = torch.cat([past_key, split_heads(k, self.n_head, self.head_dim)], 2)
        v = torch.cat([past_value, split_heads(v, self.n_head, self.head_dim)], 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(future, torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores, dim=-1)
        x = x + self.attn_out(merge_heads(torch.matmul(probs, v), self.d))
        x = x + self.mlp_out(self.act(self.mlp_in(self.mlp_norm(x))))
        return x, k, v


class GptTiny(torch.nn.Module):
    """GPT-style decoder in plain torch with past_key_values: token + position
    embedding, 2 pre-LN blocks (d 128, 4 heads of 32, MLP 512, GELU), final
    LayerNorm, LM head Linear(128, 1000).

    Inputs input_ids int64 [batch, seq] and past_key_L / past_value_L float32
    [batch, 4, past, 32]; outputs logits [batch, seq, 1000] and
    present_key_L / present_value_L [batch, 4, past+seq, 32].  Positions and
    the causal mask are computed from the shapes (past = past_key_0.shape[2]),
    so the export is dynamic in batch, seq and past."""

    VOCAB, MAX_POS, D, N_HEAD, N_LAYERS, FFN = 1000, 512, 128, 4, 2, 512
    HEAD_DIM = D // N_HEAD

    def __init__(self):
        super().__init__()
        self.tok_emb = torch.nn.Embedding(self.VOCAB, self.D)
        self.pos_emb = torch.nn.Embedding(self.MAX_POS, self.D)
        self.blocks = torch.nn.ModuleList(
            GptBlock(self.D, self.N_HEAD, self.FFN)
            for _ in range(self.N_LAYERS))
        self.final_norm = torch.nn.LayerNorm(self.D)
        self.lm_head = torch.nn.Linear(self.D, self.VOCAB)

    def forward(self, input_ids, past_key_0, past_value_0, past_key_1,
                past_value_1):
        past = past_key_0.shape[2]
        total = past + input_ids.shape[1]
        pos = torch.arange(past, total, device=input_ids.device)
        x = self.tok_emb(input_ids) + self.pos_emb(pos)
        # query i (at position past+i) sees key j iff j <= past+i
        future = (torch.arange(total, device=input_ids.device).unsqueeze(0)
                  > pos.unsqueeze(1))  # [seq, past+seq], True = masked
        cache = ((past_key_0, past_value_0), (past_key_1, past_value_1))
        present = []
        for block, (pk, pv) in zip(self.blocks, cache):
            x, k, v = block(x, pk, pv, future)
            present += [k, v]
        return (self.lm_head(self.final_norm(x)),) + tuple(present)


def bert_inputs(batch, gen):
    ids = torch.randint(0, BertTiny.VOCAB, (batch, 8), generator=gen)
    mask = torch.ones(batch, 8, dtype=torch.int64)
    mask[:, 6:] = 0  # two padding tokens
    return ids, mask


def gpt_inputs(batch, gen, seq=5, past=3):
    # trace with a non-empty past (3) and seq 5: no empty tensors in the trace
    ids = torch.randint(0, GptTiny.VOCAB, (batch, seq), generator=gen)
    shape = (batch, GptTiny.N_HEAD, past, GptTiny.HEAD_DIM)
    return (ids,) + tuple(torch.randn(shape, generator=gen)
                          for _ in range(2 * GptTiny.N_LAYERS))


def close(a, b, what):
    err = (a - b).abs().max().item()
    if not torch.allclose(a, b, rtol=1e-4, atol=1e-5):
        raise RuntimeError("%s: max abs difference %.3g" % (what, err))
    return err


@torch.no_grad()
def check_bert(model):
    """Padding with attention_mask 0 must not change the other tokens."""
    gen = torch.Generator().manual_seed(SEED + 3)
    ids = torch.randint(0, BertTiny.VOCAB, (2, 9), generator=gen)
    mask = torch.ones(2, 9, dtype=torch.int64)
    mask[:, 6:] = 0
    short = model(ids[:, :6], mask[:, :6])
    padded = model(ids, mask)
    close(padded[:, :6], short, "bert-tiny: padding changed the output")


@torch.no_grad()
def check_gpt(model):
    """The KV cache must give what a full-sequence forward gives: prefill
    + one decode step, and token-by-token decoding from an empty cache."""
    gen = torch.Generator().manual_seed(SEED + 3)
    b, n = 2, 9
    ids = torch.randint(0, GptTiny.VOCAB, (b, n), generator=gen)
    empty = [torch.zeros(b, GptTiny.N_HEAD, 0, GptTiny.HEAD_DIM)] * 4
    full = model(ids, *empty)
    pre = model(ids[:, :-1], *empty)
    step = model(ids[:, -1:], *pre[1:])
    err = close(pre[0], full[0][:, :-1], "gpt-tiny: prefill logits")
    err = max(err, close(step[0][:, 0], full[0][:, -1],
                         "gpt-tiny: last-token logits, prefill + decode"))
    for i in range(1, 5):
        err = max(err, close(step[i], full[i], "gpt-tiny: present %d" % i))
    cache, logits = empty, []
    for t in range(n):  # one token at a time
        out = model(ids[:, t:t + 1], *cache)
        logits.append(out[0])
        cache = out[1:]
    err = max(err, close(torch.cat(logits, 1), full[0],
                         "gpt-tiny: token-by-token logits"))
    if os.environ.get("GP_EXPORT_DEBUG"):
        print("  gpt-tiny KV cache check: max abs difference %.3g" % err,
              file=sys.stderr)


def classification_names():
    """Every torchvision classification model builder name."""
    tvm = torchvision.models
    if hasattr(tvm, "list_models"):
        try:
            return sorted(tvm.list_models(module=tvm))
        except TypeError:
            pass
    # Fallback for versions without list_models(module=...): public lowercase
    # functions of torchvision.models whose first parameter is `weights`.
    import inspect
    names = []
    for n in dir(tvm):
        f = getattr(tvm, n)
        if n.startswith("_") or not inspect.isfunction(f) or n.startswith("get_"):
            continue
        params = list(inspect.signature(f).parameters)
        if params and params[0] == "weights":
            names.append(n)
    return sorted(names)


def torchvision_builder(arch, **extra):
    def build():
        kwargs = {"weights": None}
        if arch in ("googlenet", "inception_v3"):
            kwargs["init_weights"] = True  # silence the "will change" warning
        kwargs.update(extra)
        return getattr(torchvision.models, arch)(**kwargs)
    return build


class Spec:
    def __init__(self, name, build, opset, input_shape, dynamic_axes=None,
                 preserve_bn=False, require_ops=(), make_inputs=None,
                 input_names=("input",), output_names=("output",),
                 check=None):
        self.name = name
        self.build = build
        self.opset = opset
        # One float input of this shape (without the batch dimension), or
        # None and make_inputs(batch, generator) -> tuple of dummy inputs.
        self.input_shape = input_shape
        self.make_inputs = make_inputs
        self.input_names = list(input_names)
        self.output_names = list(output_names)
        self.dynamic_axes = dynamic_axes
        self.preserve_bn = preserve_bn
        self.require_ops = require_ops
        self.check = check  # check(model) on the eager model, before export


def make_registry():
    reg = {}
    for arch in classification_names():
        size = 299 if arch == "inception_v3" else 224
        reg[arch] = Spec(arch, torchvision_builder(arch), GENERIC_OPSET,
                         (3, size, size))
    img = (3, 224, 224)
    reg["resnet18"] = Spec("resnet18", torchvision_builder("resnet18"), 13, img)
    reg["resnet18-bn"] = Spec("resnet18-bn", torchvision_builder("resnet18"), 13,
                              img, preserve_bn=True,
                              require_ops=("BatchNormalization",))
    reg["mobilenet_v2"] = Spec("mobilenet_v2", torchvision_builder("mobilenet_v2"),
                               14, img)
    reg["efficientnet_b0"] = Spec("efficientnet_b0",
                                  torchvision_builder("efficientnet_b0"), 17, img)
    axes = {0: "batch", 1: "seq"}
    reg["tiny-encoder"] = Spec("tiny-encoder", TinyEncoder, 14,
                               (8, TinyEncoder.D_MODEL),
                               dynamic_axes={"input": axes, "output": axes},
                               require_ops=("MatMul", "Softmax"))
    # eval mode: the aux classifiers are not in the graph; leave them out of
    # the model too, so that its parameters are the graph's
    reg["googlenet"] = Spec("googlenet",
                            torchvision_builder("googlenet", aux_logits=False),
                            GENERIC_OPSET, img)
    reg["densenet121"] = Spec("densenet121", torchvision_builder("densenet121"),
                              GENERIC_OPSET, img)
    reg["bert-tiny"] = Spec(
        "bert-tiny", BertTiny, 17, None, make_inputs=bert_inputs,
        input_names=("input_ids", "attention_mask"),
        dynamic_axes={"input_ids": axes, "attention_mask": axes,
                      "output": axes},
        require_ops=("LayerNormalization", "MatMul", "Softmax", "Gather"),
        check=check_bert)
    cache = ["%s_%s_%d" % (io, kv, i) for io in ("past", "present")
             for i in range(GptTiny.N_LAYERS) for kv in ("key", "value")]
    dyn = dict({"input_ids": axes, "logits": axes},
               **{c: {0: "batch", 2: "past" if c.startswith("past") else
                      "past+seq"} for c in cache})
    reg["gpt-tiny"] = Spec(
        "gpt-tiny", GptTiny, 17, None, make_inputs=gpt_inputs,
        input_names=["input_ids"] + cache[:2 * GptTiny.N_LAYERS],
        output_names=["logits"] + cache[2 * GptTiny.N_LAYERS:],
        dynamic_axes=dyn,
        require_ops=("LayerNormalization", "MatMul", "Softmax", "Gather",
                     "Concat", "Range", "Where"),
        check=check_gpt)
    return reg


@torch.no_grad()
def decorrelate_(model):
    """Make parameter values distinct and non-trivial.

    Freshly initialised torchvision models have BatchNorm at identity
    (weight 1, bias 0, mean 0, var 1) and many all-zero biases.  The ONNX
    exporter de-duplicates initializers *by value*, which would merge those
    into a handful of shared tensors joined by Identity nodes -- nothing like
    a real trained model.  Randomise them (seeded) so every tensor is unique.
    """
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            if m.running_mean is not None:
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
            if m.affine:
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
    seen = set()
    for _, p in model.named_parameters():
        if not p.is_floating_point():
            continue
        flat = p.detach().reshape(-1)
        if p.numel() > 1 and bool((flat == flat[0]).all()):
            p.add_(torch.randn_like(p) * 0.02)
        key = (str(p.dtype), tuple(p.shape), p.detach().cpu().numpy().tobytes())
        if key in seen:
            p.add_(torch.randn_like(p) * 0.02)
            key = (str(p.dtype), tuple(p.shape),
                   p.detach().cpu().numpy().tobytes())
        seen.add(key)


# ----------------------------------------------------------------------------
# ONNX helpers

def count_nodes(model):
    return sum(len(g.node) for g in stripweights.iter_graphs(model.graph))


def op_types(model):
    return {n.op_type for g in stripweights.iter_graphs(model.graph) for n in g.node}


# ----------------------------------------------------------------------------
# Export

def register_missing_symbolics():
    """torch 1.13 cannot export in-place `Tensor.zero_()` (aten::zero), which
    torchvision's Swin V2 uses on a slice of the qkv bias.  Map it to
    zeros_like (what later torch versions do); the in-place-on-slice then
    becomes a ScatterND of zeros, which is the correct semantics."""
    try:
        from torch.onnx import symbolic_opset9 as opset9
        reg = getattr(torch.onnx._internal.registration, "registry", None)
        if reg is not None and reg.is_registered_op("aten::zero", 17):
            return
        torch.onnx.register_custom_op_symbolic(
            "aten::zero", lambda g, self: opset9.zeros_like(g, self), 9)
    except Exception as e:  # not fatal: only Swin V2 needs it
        print("note: could not register aten::zero symbolic: %s" % e,
              file=sys.stderr)


def check_io(model, spec):
    """The graph's inputs and outputs are the spec's, in order, and carry the
    symbolic dims (dim_param) of its dynamic axes."""
    g = model.graph
    inits = {t.name for t in g.initializer}
    for what, want, got in (
            ("inputs", spec.input_names,
             [i for i in g.input if i.name not in inits]),
            ("outputs", spec.output_names, list(g.output))):
        if [v.name for v in got] != want:
            raise RuntimeError("graph %s are %s, not %s"
                               % (what, [v.name for v in got], want))
        for v in got:
            dims = v.type.tensor_type.shape.dim
            for axis, name in (spec.dynamic_axes or {}).get(v.name, {}).items():
                if axis >= len(dims) or dims[axis].dim_param != name:
                    raise RuntimeError("%s: dim %d is not %r" % (v.name, axis,
                                                                 name))


def export_one(spec, outdir, opset, batch, keep_weights):
    torch.manual_seed(SEED)
    model = spec.build().eval()
    torch.manual_seed(SEED + 1)
    decorrelate_(model)
    if spec.check is not None:
        spec.check(model)
    gen = torch.Generator().manual_seed(SEED + 2)
    if spec.make_inputs is not None:
        dummy = tuple(spec.make_inputs(batch, gen))
    else:
        dummy = (torch.randn((batch,) + tuple(spec.input_shape), generator=gen),)

    kwargs = dict(
        opset_version=opset,
        input_names=spec.input_names,
        output_names=spec.output_names,
        dynamic_axes=spec.dynamic_axes,
        export_params=True,
        verbose=False,
    )
    if spec.preserve_bn:
        # Eval-mode model exported "as is": BatchNormalization is kept (not
        # folded into Conv); constant folding off, as torch recommends here.
        kwargs.update(training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)
    else:
        kwargs.update(training=torch.onnx.TrainingMode.EVAL,
                      do_constant_folding=True)

    base = spec.name
    out_path = os.path.join(outdir, base + ".onnx")
    tmpdir = tempfile.mkdtemp(prefix="gp-export-")
    try:
        tmp_path = os.path.join(tmpdir, base + ".onnx")
        # Grad stays enabled during tracing (parameters require grad), which
        # also keeps torch 1.13 off the TransformerEncoderLayer "fast path"
        # (aten::_transformer_encoder_layer_fwd has no ONNX symbolic).
        with torch.enable_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            torch.onnx.export(model, dummy, tmp_path, **kwargs)
        del model
        gc.collect()

        # Full model check (path-based, so >2 GB models with external data
        # written by torch work too).
        onnx.checker.check_model(tmp_path)
        m = onnx.load(tmp_path, load_external_data=False)
        external = stripweights.has_external(m)

        ops = op_types(m)
        missing = [op for op in spec.require_ops if op not in ops]
        if missing:
            raise RuntimeError("exported graph lacks required op(s) %s"
                               % ", ".join(missing))
        check_io(m, spec)

        if keep_weights:
            if external:
                # >2 GB: cannot embed; save with one external data file.
                m = onnx.load(tmp_path)
                data_name = base + ".onnx.data"
                data_path = os.path.join(outdir, data_name)
                if os.path.exists(data_path):
                    os.remove(data_path)
                onnx.save_model(m, out_path, save_as_external_data=True,
                                all_tensors_to_one_file=True,
                                location=data_name)
            else:
                shutil.copyfile(tmp_path, out_path)
        else:
            stripweights.strip(m, base + ".weights")
            # Shape inference must still work without the weight bytes.
            try:
                onnx.shape_inference.infer_shapes(m, data_prop=True)
            except Exception as e:
                raise RuntimeError("shape inference failed on stripped "
                                   "model: %s" % e) from e
            # Serialise ourselves: onnx.save would try to handle external data.
            stripweights.save(m, out_path)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    size = os.path.getsize(out_path)
    print("%s opset=%d nodes=%d initializers=%d bytes=%d"
          % (base, m.opset_import[0].version if m.opset_import else opset,
             count_nodes(m), len(m.graph.initializer), size),
          file=sys.stderr, flush=True)
    return out_path


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description="Export random-weight ONNX models for gp (weight-stripped "
                    "by default). With no MODEL, exports the default fixture "
                    "set: " + ", ".join(DEFAULT_SET) + ".")
    ap.add_argument("models", nargs="*", metavar="MODEL",
                    help="model(s) to export (see --list)")
    ap.add_argument("-o", dest="outdir", metavar="DIR", default=here,
                    help="output directory (default: %(default)s)")
    ap.add_argument("--keep-weights", action="store_true",
                    help="write the full model with embedded weights "
                         "(no stripping)")
    ap.add_argument("--opset", type=int, metavar="N",
                    help="override the opset of every exported model")
    ap.add_argument("--batch", type=int, metavar="N", default=1,
                    help="batch size of the export input (default: 1)")
    ap.add_argument("--size", type=int, metavar="N",
                    help="export image models at N x N pixels (default: 224, "
                         "299 for inception_v3)")
    ap.add_argument("--list", action="store_true",
                    help="print the exportable model names and exit")
    ap.add_argument("--zoo", action="store_true",
                    help="export every torchvision classification model")
    args = ap.parse_args(argv)

    reg = make_registry()
    if args.list:
        if hasattr(signal, "SIGPIPE"):  # `--list | head` should not traceback
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        for name in DEFAULT_SET + sorted(n for n in reg if n not in DEFAULT_SET):
            print(name)
        return 0

    names = list(args.models)
    if args.zoo:
        names += [n for n in classification_names() if n not in names]
    if not names:
        names = list(DEFAULT_SET)
    unknown = [n for n in names if n not in reg]
    if unknown:
        ap.error("unknown model(s): %s (see --list)" % ", ".join(unknown))
    if args.batch < 1:
        ap.error("--batch must be >= 1")
    if args.size is not None:
        if args.size < 32:
            ap.error("--size must be >= 32")
        for name in names:
            shape = reg[name].input_shape
            if shape is None or len(shape) != 3 or shape[0] != 3:
                ap.error("--size: %s is not an image model" % name)
            reg[name].input_shape = (3, args.size, args.size)

    os.makedirs(args.outdir, exist_ok=True)
    torch.set_grad_enabled(True)
    register_missing_symbolics()
    failed = []
    t_all = time.time()
    for name in names:
        spec = reg[name]
        opset = args.opset if args.opset is not None else spec.opset
        t0 = time.time()
        try:
            export_one(spec, args.outdir, opset, args.batch, args.keep_weights)
        except Exception as e:  # keep going; report at the end
            failed.append(name)
            msg = str(e).strip().splitlines()
            print("%s FAILED: %s: %s" % (name, type(e).__name__,
                                         msg[0] if msg else ""),
                  file=sys.stderr, flush=True)
            if os.environ.get("GP_EXPORT_DEBUG"):
                traceback.print_exc()
        finally:
            gc.collect()
        if os.environ.get("GP_EXPORT_DEBUG"):
            print("  (%s: %.1fs)" % (name, time.time() - t0), file=sys.stderr)
    if failed:
        print("%d of %d model(s) failed: %s" % (len(failed), len(names),
                                                " ".join(failed)),
              file=sys.stderr)
        return 1
    if os.environ.get("GP_EXPORT_DEBUG"):
        print("total %.1fs" % (time.time() - t_all), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
