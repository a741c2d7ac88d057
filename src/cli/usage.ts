/** The usage lines of the commands, in one place (main prints them all in --help). */

export const checkUsage = 'usage: resdsl check FILES... [--format text|json|github] [--shortcut A|B|C]';

export const summaryUsage = 'usage: resdsl summary FILE [-n NETWORK] [--json] [--shortcut A|B|C]';

export const compileUsage = `usage: resdsl compile FILE [-n NETWORK] -o OUT.onnx [--weights W.safetensors] [--seed N] [--no-fuse]
         [--shortcut A|B|C] [--opset N] [--external-data] [--emit onnx|ir] [--print-after PASS|all] [--verify] [--passes]`;

export const runUsage = `usage: resdsl run FILE [-n NETWORK] [--input X.npy | --random [--seed N] [--batch B]] [-o Y.npy]
         [--runtime js|ort] [--threads 1|2] [--weights W.safetensors] [--shortcut A|B|C] [--no-fuse] [--repeat K] [--json]`;
