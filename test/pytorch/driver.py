#!/usr/bin/python3
"""The PyTorch side of the PyTorch backend's tests, run with the system interpreter, which has
Debian's python3-torch (1.13):

    /usr/bin/python3 test/pytorch/driver.py JOBS.json RESULTS.json

JOBS.json is a list of jobs, each a generated module (`module`: its path, `cls`: the network's
class) and what to do with it, in a folder of its own (`dir`):

    keys     build the module; report its state_dict's names and shapes, in order, its parameter
             count and its printed source's longest line
    parity   build it with random weights (seed `seed`): norm layers' affine parameters and layer
             scales random (small for the layers named in `small`), batch-norm statistics near
             those of a calibration batch (so that a deep network's signal neither fades nor
             grows); save them as dir/weights.safetensors;
             load them back into a fresh module (strictly, with the reader below) and save its
             eval() output for a seeded input of shape `input` (dir/input.npy, dir/output.npy)
             (a network with several outputs: output.npy, output1.npy, ... in its order)
    modes    after parity: whether two train() passes of the input differ (dropout, stochastic
             depth) and two eval() passes are equal
    export   torch.onnx.export of that eval() module (opset 17, batch axis N) to dir/torch.onnx
    evaluate the eval() output, for the seeded input, of a fresh module with the weights of the
             safetensors file `weights` loaded strictly (dir/input.npy, dir/output.npy)

RESULTS.json maps each job's `dir` to what it reported. One process runs every job, so torch is
imported once. Only torch and numpy are used (the safetensors package is not installed).
"""

import importlib.util
import json
import struct
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


def load_module(path):
    spec = importlib.util.spec_from_file_location('generated', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_safetensors(path, state):
    """The safetensors format: u64 LE header length, JSON header, raw LE float32 data."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if name.endswith('num_batches_tracked'):
            continue
        data = t.detach().to(torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """The tensors of a float32 safetensors file, by name."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, h in header.items():
        if name == '__metadata__':
            continue
        assert h['dtype'] == 'F32', (name, h['dtype'])
        begin, end = h['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype='<f4').copy()).reshape(h['shape'])
    return out


def randomize(model, gen, size, small):
    """
    Random affine parameters of norm layers and layer scales, ~U(0.5, 1.5), and the batch-norm
    statistics calibrated; the layers named in `small` (the last norm or scale of each residual
    branch) get gains ~U(0.1, 0.3), as in a trained ResNet: an untrained deep network with gains
    near 1 is chaotic and amplifies float32 rounding with depth (ResNet-152's output then differs
    from its float64 value by 3e-4 in PyTorch itself; with small branch gains, by 7e-6).
    """
    def gain(shape, name):
        lo, width = (0.1, 0.2) if name in small else (0.5, 1.0)
        return torch.rand(shape, generator=gen) * width + lo

    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, (torch.nn.modules.batchnorm._BatchNorm, torch.nn.LayerNorm)):
                m.weight.copy_(gain(m.weight.shape, name))
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            scale = m._parameters.get('layer_scale')
            if scale is not None:
                scale.copy_(gain(scale.shape, f'{name}.layer_scale' if name else 'layer_scale'))

    def calibrate(m, inputs):
        x = inputs[0]
        dims = [0] + list(range(2, x.dim()))
        mean, var = x.mean(dims), x.var(dims, unbiased=False)
        m.running_mean.copy_(mean + torch.randn(mean.shape, generator=gen) * 0.1 * var.sqrt())
        m.running_var.copy_(var * (torch.rand(var.shape, generator=gen) + 0.5))

    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    hooks = [m.register_forward_pre_hook(calibrate) for m in norms]
    model.eval()
    with torch.no_grad():
        model(torch.randn([4] + size[1:], generator=gen))
    for h in hooks:
        h.remove()


def eval_output(cls, job, weights):
    """A fresh module with `weights` loaded strictly, in eval(), and its output for the seeded input."""
    model = cls()
    missing, unexpected = model.load_state_dict(read_safetensors(weights), strict=False)
    missing = [k for k in missing if not k.endswith('num_batches_tracked')]
    if missing or unexpected:
        raise SystemExit(f'{job["dir"]}: missing {missing[:5]}, unexpected {unexpected[:5]}')
    model.eval()
    x = torch.randn(job['input'], generator=torch.Generator().manual_seed(job['seed'] + 1))
    with torch.no_grad():
        y = model(x)
    np.save(f'{job["dir"]}/input.npy', x.numpy())
    # a network with several outputs returns them as a tuple: output.npy, output1.npy, ...
    for i, t in enumerate(y if isinstance(y, tuple) else (y,)):
        np.save(f'{job["dir"]}/output{i or ""}.npy', t.numpy())
    return model, x


def modes(model, x):
    """Whether two train() passes differ (dropout, stochastic depth) and two eval() passes agree."""
    first = lambda y: y[-1] if isinstance(y, tuple) else y
    torch.manual_seed(0)
    with torch.no_grad():
        model.train()
        a, b = first(model(x)), first(model(x))
        model.eval()
        c, d = first(model(x)), first(model(x))
    return {'train_differs': not torch.equal(a, b), 'eval_same': torch.equal(c, d)}


def run(job):
    cls = getattr(load_module(job['module']), job['cls'])
    report = {}
    start = time.time()
    if 'keys' in job['tasks']:
        model = cls()
        report['keys'] = [[k, list(v.shape)] for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')]
        report['params'] = sum(p.numel() for p in model.parameters())
    if 'parity' in job['tasks'] or 'export' in job['tasks']:
        gen = torch.Generator().manual_seed(job['seed'])
        torch.manual_seed(job['seed'])
        model = cls()
        randomize(model, gen, job['input'], set(job.get('small', [])))
        write_safetensors(f'{job["dir"]}/weights.safetensors', model.state_dict())
        model, x = eval_output(cls, job, f'{job["dir"]}/weights.safetensors')
        if 'modes' in job['tasks']:
            report['modes'] = modes(model, x)
        if 'export' in job['tasks']:
            torch.onnx.export(model, x, f'{job["dir"]}/torch.onnx', opset_version=17, input_names=['x'], output_names=['y'],
                              dynamic_axes={'x': {0: 'N'}, 'y': {0: 'N'}})
    if 'evaluate' in job['tasks']:
        eval_output(cls, job, job['weights'])
    report['seconds'] = time.time() - start
    return report


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = {job['dir']: run(job) for job in jobs}
    with open(sys.argv[2], 'w') as f:
        json.dump(results, f)


if __name__ == '__main__':
    main()
