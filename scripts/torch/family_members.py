#!/usr/bin/python3
"""The members of each std family as torchvision 0.14 builds them: parameters, MACs, state_dict.

Writes test/fixtures/reference/family-members.tsv: one row per torchvision model that std/ derives
by its family's rule (EfficientNet B0 to B7, MobileNetV2 at several widths, MobileNetV3 at a width,
MNASNet at every alpha, every RegNet, ConvNeXt T/S/B/L), with the resdsl network expression over
std/ that should build it, its parameter count, its MACs (conv and linear layers only, one
multiply-add counted once, batch 1, at the model's input size: zoo-modern.tsv's convention), and
the sha256 of its sorted state_dict "name<TAB>shape" lines (num_batches_tracked left out, as those
are not weights). test/examples/family-members.test.ts checks every row against resdsl.

Run with Debian's interpreter, which has python3-torch and python3-torchvision:
    /usr/bin/python3 scripts/torch/family_members.py
Takes a few minutes (the largest models run one forward pass each at their input size).
"""

import hashlib
import os
import sys

import torch
import torchvision.models as tvm
from torchvision.models.regnet import BlockParams

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'family-members.tsv')


def efficientnets():
    # (width, depth, dropout, size), torchvision's efficientnet_b0.._b7; B5 to B7 use eps 0.001
    table = [(1.0, 1.0, 0.2, 224), (1.0, 1.1, 0.2, 240), (1.1, 1.2, 0.3, 288), (1.2, 1.4, 0.3, 300),
             (1.4, 1.8, 0.4, 380), (1.6, 2.2, 0.4, 456), (1.8, 2.6, 0.5, 528), (2.0, 3.1, 0.5, 600)]
    for i, (w, d, p, size) in enumerate(table):
        eps = ', eps = 0.001' if i >= 5 else ''
        yield ('efficientnet_b%d' % i, 'efficientnet',
               'efficientnet(width = %r, depth = %r, dropout_p = %r, size = %d%s)' % (w, d, p, size, eps),
               getattr(tvm, 'efficientnet_b%d' % i), {}, size)


def mobilenets():
    for w in (0.5, 0.75, 1.0, 1.4):
        yield ('mobilenet_v2 width %r' % w, 'mobilenet', 'mobilenetv2(width = %r)' % w,
               tvm.mobilenet_v2, {'width_mult': w}, 224)
    for w in (0.75, 1.0):
        yield ('mobilenet_v3_large width %r' % w, 'mobilenet', 'mobilenetv3_large(width = %r)' % w,
               tvm.mobilenet_v3_large, {'width_mult': w}, 224)
        yield ('mobilenet_v3_small width %r' % w, 'mobilenet', 'mobilenetv3_small(width = %r)' % w,
               tvm.mobilenet_v3_small, {'width_mult': w}, 224)


def mnasnets():
    for name, alpha in (('mnasnet0_5', 0.5), ('mnasnet0_75', 0.75), ('mnasnet1_0', 1.0), ('mnasnet1_3', 1.3)):
        yield (name, 'mnasnet', 'mnasnet(alpha = %r)' % alpha, getattr(tvm, name), {}, 224)


# torchvision 0.14's RegNet members: BlockParams.from_init_params arguments
REGNETS = {
    'regnet_y_400mf': dict(depth=16, w_0=48, w_a=27.89, w_m=2.09, group_width=8, se_ratio=0.25),
    'regnet_y_800mf': dict(depth=14, w_0=56, w_a=38.84, w_m=2.4, group_width=16, se_ratio=0.25),
    'regnet_y_1_6gf': dict(depth=27, w_0=48, w_a=20.71, w_m=2.65, group_width=24, se_ratio=0.25),
    'regnet_y_3_2gf': dict(depth=21, w_0=80, w_a=42.63, w_m=2.66, group_width=24, se_ratio=0.25),
    'regnet_y_8gf': dict(depth=17, w_0=192, w_a=76.82, w_m=2.19, group_width=56, se_ratio=0.25),
    'regnet_y_16gf': dict(depth=18, w_0=200, w_a=106.23, w_m=2.48, group_width=112, se_ratio=0.25),
    'regnet_y_32gf': dict(depth=20, w_0=232, w_a=115.89, w_m=2.53, group_width=232, se_ratio=0.25),
    'regnet_x_400mf': dict(depth=22, w_0=24, w_a=24.48, w_m=2.54, group_width=16),
    'regnet_x_800mf': dict(depth=16, w_0=56, w_a=35.73, w_m=2.28, group_width=16),
    'regnet_x_1_6gf': dict(depth=18, w_0=80, w_a=34.01, w_m=2.25, group_width=24),
    'regnet_x_3_2gf': dict(depth=25, w_0=88, w_a=26.31, w_m=2.25, group_width=48),
    'regnet_x_8gf': dict(depth=23, w_0=80, w_a=49.56, w_m=2.88, group_width=120),
    'regnet_x_16gf': dict(depth=22, w_0=216, w_a=55.59, w_m=2.1, group_width=128),
    'regnet_x_32gf': dict(depth=23, w_0=320, w_a=69.86, w_m=2.0, group_width=168),
}


def regnets():
    for name, init in REGNETS.items():
        bp = BlockParams.from_init_params(**init)
        # the group width of a stage narrower than it is the stage's width: std's min(group_width, w)
        assert len(bp.depths) == 4 and all(g in (init['group_width'], w) for g, w in zip(bp.group_widths, bp.widths)), name
        args = ', '.join(str(x) for x in list(bp.depths) + list(bp.widths))
        se = ', se_ratio = %r' % init['se_ratio'] if init.get('se_ratio') else ''
        yield (name, 'regnet', 'regnet(%s, group_width = %d%s)' % (args, init['group_width'], se),
               getattr(tvm, name), {}, 224)


def convnexts():
    for name, widths, depths, sd in (('convnext_tiny', (96, 192, 384, 768), (3, 3, 9, 3), 0.1),
                                     ('convnext_small', (96, 192, 384, 768), (3, 3, 27, 3), 0.4),
                                     ('convnext_base', (128, 256, 512, 1024), (3, 3, 27, 3), 0.5),
                                     ('convnext_large', (192, 384, 768, 1536), (3, 3, 27, 3), 0.5)):
        yield (name, 'convnext', 'convnext(%s, sd = %r)' % (', '.join(str(x) for x in widths + depths), sd),
               getattr(tvm, name), {}, 224)


def macs(model, size):
    """MACs of conv and linear layers at batch 1 (forward hooks on a real forward pass)."""
    total = [0]

    def conv(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        total[0] += out.numel() * (m.in_channels // m.groups) * k

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(linear))
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    return total[0]


def state_dict_sha(model):
    lines = sorted('%s\t[%s]' % (k, ','.join(str(d) for d in v.shape))
                   for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked'))
    return hashlib.sha256(('\n'.join(lines) + '\n').encode()).hexdigest()


def main():
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    rows = []
    for gen in (efficientnets, mobilenets, mnasnets, regnets, convnexts):
        for name, std, expr, build, kwargs, size in gen():
            model = build(weights=None, **kwargs)
            params = sum(p.numel() for p in model.parameters())
            rows.append((name, std, expr, size, params, macs(model, size), state_dict_sha(model)))
            print('%-28s %12d params %15d MACs' % (name, params, rows[-1][5]), file=sys.stderr)
            del model
    with open(OUT + '.tmp', 'w') as f:
        f.write('# made by scripts/torch/family_members.py with torch %s, torchvision %s\n'
                % (torch.__version__, __import__('torchvision').__version__))
        f.write('model\tstd\tnetwork\tsize\tparams\tmacs\tstate_dict_sha256\n')
        for r in rows:
            f.write('\t'.join(str(x) for x in r) + '\n')
    os.replace(OUT + '.tmp', OUT)
    print('wrote %s (%d models)' % (OUT, len(rows)), file=sys.stderr)


if __name__ == '__main__':
    main()
