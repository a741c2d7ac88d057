/**
 * The commands: each one's declaration (options.ts) and its code, loaded on use so that `check`
 * does not pay for the executor or onnxruntime, and help, completion and --version for nothing of
 * the compiler. A Map, so that no command name a user types can reach an object's prototype
 * (`resdsl constructor` is an unknown command like any other).
 */
import type { Io } from './io.js';
import {
  helpOption,
  maxErrorsOption,
  networkOption,
  noFuseOption,
  seedOption,
  shortcutOption,
  weightsOption,
  type CommandSpec,
} from './options.js';
import type { Parsed } from './parse.js';

export type CommandRun = (args: Parsed, io: Io) => number | Promise<number>;

export interface Command {
  spec: CommandSpec;
  load(): Promise<CommandRun>;
}

// Written out rather than imported, so that loading the declarations loads no compiler module;
// test/cli/help.test.ts keeps them equal to onnx/lower.ts's opsets and the pipeline's stages.
/** The ONNX opsets the lowering supports (onnx/lower.ts: supportedOpsets, defaultOpset 17). */
export const opsets = ['13', '14', '15', '16', '17'];
/** The stages that change the IR (pipeline/stages.ts), which --print-after takes. */
export const irStages = ['elaborate', 'shortcut', 'weights', 'cleanup', 'fuse'];

const check: CommandSpec = {
  name: 'check',
  summary: 'check specs: names, calls, shapes, exact parameter and MAC counts, and expect lines',
  args: { name: 'FILES_OR_FOLDERS...', what: 'files or folders to check', count: 'some', file: ['resdsl'] },
  about: 'Folders are searched for .resdsl files (skipping node_modules and dot-folders); a folder without any is an error. Every block and network is checked, used or not.',
  options: [
    { name: 'format', value: 'FORMAT', choices: ['text', 'json', 'github'], default: 'text', help: 'text for people, json for tools, github for GitHub Actions annotations' },
    shortcutOption,
    maxErrorsOption,
    helpOption,
  ],
  examples: [
    ['resdsl check examples/', 'check every spec in a folder'],
    ['resdsl check specs/ --format github', 'annotate a pull request from GitHub Actions'],
    ['resdsl check net.resdsl --shortcut A --max-errors 0', 'check under option A, showing every error'],
  ],
};

const summary: CommandSpec = {
  name: 'summary',
  summary: "print a network's layers with output shapes, parameters and MACs, like torchinfo",
  args: { name: 'FILE', what: 'a .resdsl file', count: 'one', file: ['resdsl'] },
  about: 'Projections the shortcut policy put in are marked *. expect lines are not checked (check does that).',
  options: [networkOption, { name: 'json', help: 'print the same data as JSON' }, shortcutOption, maxErrorsOption, helpOption],
  examples: [
    ['resdsl summary examples/resnet18.resdsl', 'the table of ResNet-18'],
    ['resdsl summary examples/seed.resdsl -n seed_blocks --json', 'one network of a file, as JSON'],
  ],
};

const compile: CommandSpec = {
  name: 'compile',
  summary: 'compile a network to ONNX with seeded or given weights, or print its IR',
  args: { name: 'FILE', what: 'a .resdsl file', count: 'one', file: ['resdsl'] },
  about: 'The model is written atomically: a failed compile leaves no file and an existing output as it was.',
  options: [
    networkOption,
    { name: 'out', short: 'o', value: 'FILE', file: ['onnx', 'py'], help: 'where to write the model (.onnx); with --emit ir or pytorch, a text file, or - for standard output (the default there)' },
    weightsOption,
    seedOption,
    noFuseOption,
    shortcutOption,
    { name: 'opset', value: 'N', choices: opsets, default: '17', help: 'the ONNX operator set version' },
    { name: 'external-data', help: 'keep the weights in FILE.data beside the model (automatic over 2 GiB)' },
    { name: 'emit', value: 'WHAT', choices: ['onnx', 'ir', 'pytorch'], default: 'onnx', help: 'onnx for the model, ir for the canonical IR text, pytorch for the network as a PyTorch module (Python source)' },
    {
      name: 'print-after',
      value: 'STAGE',
      choices: ['all', ...irStages],
      multiple: true,
      help: 'print the IR after this stage (or after all of them); may be repeated',
    },
    { name: 'verify', help: "check the IR's invariants after every stage" },
    { name: 'passes', standalone: true, help: 'list the stages of the pipeline and exit' },
    maxErrorsOption,
    helpOption,
  ],
  examples: [
    ['resdsl compile examples/resnet50.resdsl -o resnet50.onnx', 'ResNet-50 with seeded weights'],
    ['resdsl compile net.resdsl -o net.onnx --weights net.safetensors', "PyTorch's weights, matched by state_dict name"],
    ['resdsl compile net.resdsl --emit ir --print-after shortcut', 'print the IR after the shortcut pass and at the end'],
    ['resdsl compile examples/cifar_resnet20.resdsl --emit pytorch -o model.py', 'the network as a PyTorch module to train (then --weights)'],
  ],
};

const run: CommandSpec = {
  name: 'run',
  summary: 'run a network (.resdsl or .onnx) on an input and describe its outputs',
  args: { name: 'FILE', what: 'a .resdsl or .onnx file', count: 'one', file: ['resdsl', 'onnx'] },
  about: 'Without --input the input is seeded random normal values (said on standard error). Each output is printed with its shape, min, max, mean (NaN and infinities counted apart) and argmax.',
  options: [
    networkOption,
    { name: 'input', value: 'FILE', file: ['npy'], help: 'the input: a float32 .npy array of the input\'s shape' },
    { name: 'random', help: 'use a seeded random normal input (what run does without --input)' },
    { ...seedOption, help: 'the seed of the random input and of the generated weights' },
    { name: 'batch', value: 'N', int: { min: 1, max: 4096 }, default: '1', help: 'the batch size of the random input' },
    {
      name: 'out',
      short: 'o',
      value: 'FILE',
      file: ['npy', 'npz'],
      help: 'write the outputs: .npz holds all of them, .npy one (- writes .npy to standard output)',
    },
    { name: 'output', value: 'NAME', help: 'the one output to write with -o, for a network that has several' },
    { name: 'runtime', value: 'RUNTIME', choices: ['js', 'ort'], default: 'js', help: 'js for our executor, ort for onnxruntime-node' },
    { name: 'threads', value: 'N', int: { min: 1, max: 2 }, default: '1', help: 'threads of the executor or of onnxruntime' },
    weightsOption,
    shortcutOption,
    noFuseOption,
    { name: 'repeat', value: 'K', int: { min: 0, max: 100_000 }, default: '0', help: 'time K more runs after the first and print their median' },
    { name: 'json', help: 'print the output descriptions as JSON' },
    maxErrorsOption,
    helpOption,
  ],
  examples: [
    ['resdsl run examples/resnet18.resdsl', 'run ResNet-18 on a random input'],
    ['resdsl run model.onnx --input x.npy -o y.npz', 'run an ONNX file on an input and keep every output'],
    ['resdsl run net.resdsl --runtime ort --repeat 20', 'time onnxruntime-node on the same network'],
  ],
};

const help: CommandSpec = {
  name: 'help',
  summary: 'print the help of resdsl or of one command',
  args: { name: 'COMMAND', what: 'a command', count: 'optional' },
  options: [helpOption],
  examples: [['resdsl help run', 'the options of run']],
};

const completion: CommandSpec = {
  name: 'completion',
  summary: 'print a shell completion script for bash or zsh',
  args: { name: 'SHELL', what: 'a shell: bash or zsh', count: 'one' },
  about: 'Load it from your shell\'s startup file, or install it where your shell looks for completions.',
  options: [helpOption],
  examples: [
    ['source <(resdsl completion bash)', 'in ~/.bashrc: complete resdsl in bash'],
    ['resdsl completion zsh > ~/.zfunc/_resdsl', 'for zsh, with ~/.zfunc in fpath before compinit'],
  ],
};

const fmt: CommandSpec = {
  name: 'fmt',
  summary: 'format specs in the one canonical layout, comments kept',
  args: { name: 'FILES_OR_FOLDERS...', what: 'files or folders to format', count: 'some', file: ['resdsl'] },
  about: 'Files are rewritten in place (atomically) when their layout changes. A file with syntax errors is left as it is and its errors are shown.',
  options: [
    { name: 'check', help: 'change nothing: list the files that would change, and exit 1 if any would' },
    { name: 'stdout', help: 'print the formatted text instead of rewriting the files' },
    maxErrorsOption,
    helpOption,
  ],
  examples: [
    ['resdsl fmt specs/', 'format every spec in a folder'],
    ['resdsl fmt --check examples std', 'in CI: fail when a file is not formatted'],
  ],
};

const graph: CommandSpec = {
  name: 'graph',
  summary: 'draw a network as written: blocks and stages as clusters, edges with tensor shapes',
  args: { name: 'FILE', what: 'a .resdsl file', count: 'one', file: ['resdsl'] },
  about: 'Laid out by Graphviz compiled to WebAssembly: no system Graphviz is needed. Residual shortcuts are dashed; projections the shortcut policy put in are dashed boxes.',
  options: [
    networkOption,
    { name: 'out', short: 'o', value: 'FILE', file: ['svg', 'dot'], help: 'where to write the picture (- for standard output, the default)' },
    { name: 'format', value: 'FORMAT', choices: ['svg', 'dot'], default: 'svg', help: 'svg, or the Graphviz source (dot); by default from the extension of -o' },
    { name: 'depth', value: 'DEPTH', choices: ['layers', 'blocks'], default: 'layers', help: 'layers draws every layer; blocks draws each block as one box with its parameter count' },
    shortcutOption,
    maxErrorsOption,
    helpOption,
  ],
  examples: [
    ['resdsl graph examples/resnet18.resdsl -o r18.svg', 'every layer of ResNet-18'],
    ['resdsl graph examples/resnet50.resdsl --depth blocks -o r50.svg', 'one box per bottleneck block'],
  ],
};

const lsp: CommandSpec = {
  name: 'lsp',
  summary: 'run the language server (for editors), on standard input and output',
  about: 'Diagnostics as you type, hover with shapes, parameters and MACs, go to definition, references, symbols, completion, signature help and formatting. editors/vscode holds a VS Code extension that starts it.',
  options: [{ name: 'stdio', help: 'talk over standard input and output (the only way; accepted for editors that pass it)' }, helpOption],
  examples: [
    ['resdsl lsp', 'what an editor runs'],
    ['resdsl lsp --stdio', 'the same, as editors that pass --stdio start it'],
  ],
};

// help and completion read the table below, given to them: they do not import it (no import cycle)
async function loadHelp(): Promise<CommandRun> {
  const { helpCommand } = await import('./help.js');
  return (args, io) => helpCommand(args, io, commands);
}

async function loadCompletion(): Promise<CommandRun> {
  const { completionCommand } = await import('./completion.js');
  return (args, io) => completionCommand(args, io, commands);
}

export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['check', { spec: check, load: async () => (await import('./check.js')).checkCommand }],
  ['summary', { spec: summary, load: async () => (await import('./summary.js')).summaryCommand }],
  ['compile', { spec: compile, load: async () => (await import('./compile.js')).compileCommand }],
  ['run', { spec: run, load: async () => (await import('./run.js')).runCommand }],
  ['fmt', { spec: fmt, load: async () => (await import('./fmt.js')).fmtCommand }],
  ['graph', { spec: graph, load: async () => (await import('./graph.js')).graphCommand }],
  ['lsp', { spec: lsp, load: async () => (await import('./lsp.js')).lspCommand }],
  ['help', { spec: help, load: loadHelp }],
  ['completion', { spec: completion, load: loadCompletion }],
]);
