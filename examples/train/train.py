#!/usr/bin/env python3
"""Train a network that resdsl wrote as a PyTorch module, and save its weights
for `resdsl compile --weights`: the spec stays the one source of the network.

    resdsl compile examples/cifar_resnet20.resdsl --emit pytorch \\
        -o examples/train/model.py
    python3 examples/train/train.py --steps 200
    resdsl compile examples/cifar_resnet20.resdsl \\
        --weights model.safetensors -o model.onnx

Data: torchvision's FakeData (random 32x32 images, random labels) unless
--data names a folder holding CIFAR-10 as torchvision.datasets.CIFAR10 keeps
it (cifar-10-batches-py/; this script never downloads).

On several processes, with DistributedDataParallel: start it with torchrun,
which sets the env:// variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
MASTER_PORT); each process then trains on its share of the data, gradients
are averaged, and the first process saves the weights. Backend: nccl with a
GPU per process, gloo on CPUs.

    torchrun --standalone --nproc_per_node 2 examples/train/train.py

The printed loss is the mean over the processes' batches.
"""

import argparse
import importlib.util
import json
import os
import struct
import time

import torch
import torch.distributed as dist
import torchvision
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

CIFAR_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR_STD = (0.2470, 0.2435, 0.2616)


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=os.path.join(here, "model.py"),
                   help="the file resdsl wrote (default: model.py here)")
    p.add_argument("--network", default="CifarResnet20",
                   help="its network's class (default: CifarResnet20)")
    p.add_argument("--data", help="a folder with CIFAR-10 (default: FakeData)")
    p.add_argument("--fake-size", type=int, default=5000,
                   help="images of FakeData (default: 5000)")
    p.add_argument("--batch-size", type=int, default=128,
                   help="images per step and process (default: 128)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--steps", type=int, default=0,
                   help="stop after this many steps (default: the epochs)")
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0,
                   help="torch threads per process (default: torch's)")
    p.add_argument("--log-every", type=int, default=1)
    p.add_argument("--out", default="model.safetensors",
                   help="where the weights go (default: model.safetensors)")
    return p.parse_args()


def load_network(path, name):
    """The class `name` of the Python file at `path`."""
    spec = importlib.util.spec_from_file_location("model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def dataset(args):
    normalize = torchvision.transforms.Normalize(CIFAR_MEAN, CIFAR_STD)
    if args.data is None:
        to_tensor = torchvision.transforms.Compose(
            [torchvision.transforms.ToTensor(), normalize])
        return torchvision.datasets.FakeData(
            size=args.fake_size, image_size=(3, 32, 32), num_classes=10,
            transform=to_tensor)
    augment = torchvision.transforms.Compose([
        torchvision.transforms.RandomCrop(32, padding=4),
        torchvision.transforms.RandomHorizontalFlip(),
        torchvision.transforms.ToTensor(),
        normalize,
    ])
    return torchvision.datasets.CIFAR10(
        args.data, train=True, transform=augment, download=False)


def save_safetensors(path, state):
    """The state_dict as safetensors, float32 (safetensors' own writer where
    it is installed; else the format by hand: a little-endian u64 header
    length, a JSON header, the raw tensors). Batch-norm step counters are
    left out: they are not weights."""
    tensors = {k: v.detach().float().contiguous().cpu()
               for k, v in state.items()
               if not k.endswith("num_batches_tracked")}
    try:
        from safetensors.torch import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        return save_file(tensors, path)
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank() if distributed else 0
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)

    # the same initial weights in every process (DDP also broadcasts them)
    torch.manual_seed(args.seed)
    model = load_network(args.model, args.network)().to(device)
    if distributed:
        model = DistributedDataParallel(
            model, device_ids=[local_rank] if cuda else None)

    data = dataset(args)
    sampler = DistributedSampler(data, seed=args.seed) if distributed else None
    loader = DataLoader(data, batch_size=args.batch_size,
                        shuffle=sampler is None, sampler=sampler,
                        drop_last=True, pin_memory=cuda)
    steps = args.steps or args.epochs * len(loader)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr,
                                momentum=args.momentum,
                                weight_decay=args.weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    loss_fn = nn.CrossEntropyLoss()

    model.train()
    step, epoch, start = 0, 0, time.time()
    while step < steps:
        if sampler is not None:
            sampler.set_epoch(epoch)
        for images, labels in loader:
            images = images.to(device, non_blocking=True)
            labels = labels.to(device, non_blocking=True)
            loss = loss_fn(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            mean = loss.detach()
            if distributed:
                dist.all_reduce(mean)
                mean /= dist.get_world_size()
            if rank == 0 and (step % args.log_every == 0 or step == steps):
                print(f"step {step} loss {mean.item():.4f}", flush=True)
            if step == steps:
                break
        epoch += 1

    if rank == 0:
        net = model.module if distributed else model
        save_safetensors(args.out, net.state_dict())
        print(f"saved {args.out} after {step} steps "
              f"({time.time() - start:.1f} s)", flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
