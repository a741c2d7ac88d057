#!/usr/bin/python3
"""PyTorch reference fixtures for the modern CNN families (and ResNet-18).

Run with the system interpreter, which has Debian's python3-torch (1.13) and python3-torchvision
(0.14):

    /usr/bin/python3 scripts/torch/make_fixtures.py [--out DIR] [MODEL ...]

For each model (all of MODELS when none is named) it writes DIR/<model>/ (default DIR:
.cache/torch-fixtures beside this repository's package.json):

    weights.safetensors  the state_dict, float32, PyTorch's names (num_batches_tracked left out)
    input.npy            a seeded random input, batch 2, at the model's size (float32)
    expected.npy         the model's logits for it in eval mode, [2, 1000] float32
    torch.onnx           torch.onnx.export of the model, opset 17, dynamic batch (EXPORTED only)
    manifest.json        model, input shape, versions, seed, this script's sha256, files' sha256

The model is torchvision.models.NAME() (1000 classes, no pretrained weights) built after
torch.manual_seed(SEED); then every BatchNorm's and LayerNorm's weight and bias and ConvNeXt's
layer_scale get random non-trivial values, and every BatchNorm's running statistics random values
near those of its real input (see calibrate_batch_norms), so that a wrong epsilon, a dropped
branch or a wrong fusion shows in the output, and the output depends on the input.

A model whose manifest has this script's sha256 is left alone, so the fixtures are made once and
remade when the script changes. Each model is built in a temporary folder next to its final one
and renamed into place at the end (an interrupted run leaves no half-written folder), under an
exclusive lock on DIR/.<model>.lock so that parallel test workers do not build the same model.

Time: all 12 models, with the 4 ONNX exports, take about 50 s on 2 shared cores (load ~0.6);
the export of convnext_tiny takes most of it (15 to 40 s), the other models 0.2 to 3 s each.
"""

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import struct
import sys
import time

import numpy as np
import torch
import torchvision

SEED = 20261201

# name -> input size (the size each model's published weights were evaluated at)
MODELS = {
    'resnet18': 224,
    'mobilenet_v2': 224,
    'mobilenet_v3_small': 224,
    'mobilenet_v3_large': 224,
    'mnasnet1_0': 224,
    'efficientnet_b0': 224,
    'efficientnet_b3': 300,
    'efficientnet_v2_s': 384,
    'regnet_x_400mf': 224,
    'regnet_y_400mf': 224,
    'regnet_y_1_6gf': 224,
    'convnext_tiny': 224,
}
EXPORTED = {'resnet18', 'mobilenet_v2', 'efficientnet_b0', 'convnext_tiny'}
BATCH = 2
OPSET = 17


def script_sha256():
    with open(os.path.abspath(__file__), 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def uniform(t, gen, lo, hi):
    return torch.rand(t.shape, generator=gen) * (hi - lo) + lo


def normal(t, gen, std):
    return torch.randn(t.shape, generator=gen) * std


def randomize_parameters(model, gen):
    """
    Non-trivial norm parameters, weight ~U(0.5, 1.5) and bias ~N(0, 0.1), and ConvNeXt's layer
    scale ~U(0.5, 1.5) (not its initial 1e-6, which would hide the blocks' branches).
    """
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.modules.batchnorm._BatchNorm, torch.nn.LayerNorm)):
                m.weight.copy_(uniform(m.weight, gen, 0.5, 1.5))
                m.bias.copy_(normal(m.bias, gen, 0.1))
            scale = getattr(m, 'layer_scale', None)
            if isinstance(scale, torch.nn.Parameter):
                scale.copy_(uniform(scale, gen, 0.5, 1.5))


def calibrate_batch_norms(model, size, gen):
    """
    Running statistics near those of each batch norm's real input, computed layer by layer in one
    pass over a calibration batch (not the test input): the input's mean moved by ~N(0, 0.1) of its
    standard deviation, its variance times ~U(0.5, 1.5). Made-up statistics of a fixed scale would
    not do: an untrained network's signal then fades (a depthwise conv initialised for its fan-out
    scales its input's variance by about 1/(3C)) or, with perturbed statistics compounding, grows,
    and its logits hardly depend on the input, which would make the fixture blind to a wrong conv.
    Each norm sees its input after the ones before it got their final statistics.
    """
    def set_statistics(m, inputs):
        x = inputs[0]
        dims = [0] + list(range(2, x.dim()))
        mean = x.mean(dims)
        var = x.var(dims, unbiased=False)
        m.running_mean.copy_(mean + normal(mean, gen, 0.1) * var.sqrt())
        m.running_var.copy_(var * uniform(var, gen, 0.5, 1.5))

    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    hooks = [m.register_forward_pre_hook(set_statistics) for m in norms]
    model.eval()
    with torch.no_grad():
        model(torch.randn((8, 3, size, size), generator=gen))
    for h in hooks:
        h.remove()


def write_safetensors(path, state):
    """The safetensors format by hand: u64 LE header length, JSON header, raw LE float32 data."""
    header = {}
    blobs = []
    offset = 0
    for name, t in state.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # data starts 8-byte aligned, as the reference writer does
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def build(name, size, tmp):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, name)()
    gen = torch.Generator().manual_seed(SEED + 1)
    randomize_parameters(model, gen)
    calibrate_batch_norms(model, size, gen)
    x = torch.randn((BATCH, 3, size, size), generator=torch.Generator().manual_seed(SEED + 2))
    with torch.no_grad():
        y = model(x)
    state = {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
    write_safetensors(os.path.join(tmp, 'weights.safetensors'), state)
    np.save(os.path.join(tmp, 'input.npy'), x.numpy().astype(np.float32))
    np.save(os.path.join(tmp, 'expected.npy'), y.numpy().astype(np.float32))
    if name in EXPORTED:
        torch.onnx.export(
            model, x, os.path.join(tmp, 'torch.onnx'), opset_version=OPSET, do_constant_folding=True,
            input_names=['input'], output_names=['logits'],
            dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
        )
    return float(y.abs().max()), float((y[0] - y[1]).abs().max())


def fresh(folder, sha):
    try:
        with open(os.path.join(folder, 'manifest.json')) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return False
    files = manifest.get('files', {})
    return manifest.get('script_sha256') == sha and all(os.path.isfile(os.path.join(folder, n)) for n in files)


def make(out, name, sha):
    folder = os.path.join(out, name)
    with open(os.path.join(out, '.%s.lock' % name), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the process ends, however it ends
        if fresh(folder, sha):
            return False
        # Leftovers of a killed run for this model (only the lock's holder writes them).
        for stale in os.listdir(out):
            if stale.startswith(('.tmp-%s-' % name, '.old-%s-' % name)):
                shutil.rmtree(os.path.join(out, stale), ignore_errors=True)
        tmp = os.path.join(out, '.tmp-%s-%d' % (name, os.getpid()))
        os.makedirs(tmp)
        try:
            started = time.time()
            scale = build(name, MODELS[name], tmp)
            files = {n: file_sha256(os.path.join(tmp, n)) for n in sorted(os.listdir(tmp))}
            manifest = {
                'model': name, 'input_shape': [BATCH, 3, MODELS[name], MODELS[name]], 'output_shape': [BATCH, 1000],
                'torch': torch.__version__, 'torchvision': torchvision.__version__, 'seed': SEED,
                'opset': OPSET if name in EXPORTED else None, 'script_sha256': sha, 'output_scale': scale[0],
                'output_sample_difference': scale[1],
                'files': files,
            }
            with open(os.path.join(tmp, 'manifest.json'), 'w') as f:
                json.dump(manifest, f, indent=1)
            old = os.path.join(out, '.old-%s-%d' % (name, os.getpid()))
            if os.path.exists(folder):
                os.rename(folder, old)
            os.rename(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
            print('%s: made in %.1f s (output scale %.3g, samples differ by %.3g)' % (name, time.time() - started, scale[0], scale[1]), file=sys.stderr)
            return True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=os.path.join(root, '.cache', 'torch-fixtures'))
    p.add_argument('models', nargs='*', metavar='MODEL')
    args = p.parse_args()
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        print('make_fixtures.py: unknown model(s) %s; known: %s' % (', '.join(unknown), ', '.join(MODELS)), file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    sha = script_sha256()
    started = time.time()
    made = [m for m in (args.models or list(MODELS)) if make(args.out, m, sha)]
    print('made %d fixture(s) in %.1f s under %s' % (len(made), time.time() - started, args.out), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
