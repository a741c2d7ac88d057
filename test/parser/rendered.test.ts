/** How the syntax errors of a broken file look to a user (rendered by src/diagnostics/render.ts). */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import { renderText } from '../../src/diagnostics/render.js';

const src = [
  '# four mistakes',
  'block basic(in out) {',
  '  <conv3(stride = ); bn; relu; conv3; bn> + shortcut',
  '  relu',
  '}',
  'network tiny {',
  '  input x0: f32[N, 3, 32, 32]',
  '  <conv3(16); bn; relu',
  '  gap; fc(10)',
  '  expect flops == 12_345',
  '}',
  '',
].join('\n');

describe('rendered syntax errors', () => {
  it('show each error at its line with a caret, and the opening bracket where it helps', () => {
    const { diagnostics } = parseSource(src, 'broken.resdsl');
    expect(renderText(diagnostics, new Map([['broken.resdsl', src]]))).toMatchInlineSnapshot(`
      "error[E0002]: expected \`)\` to close the parameter list, found \`out\`
       --> broken.resdsl:2:16
        |
      2 | block basic(in out) {
        |                ^^^
       ::: broken.resdsl:2:12
        |
      2 | block basic(in out) {
        |            - the parameter list opened here

      error[E0002]: expected an expression, found \`)\`
       --> broken.resdsl:3:19
        |
      3 |   <conv3(stride = ); bn; relu; conv3; bn> + shortcut
        |                   ^

      error[E0002]: expected \`>\` to close the path, found \`expect\`
        --> broken.resdsl:10:3
         |
      10 |   expect flops == 12_345
         |   ^^^^^^
        ::: broken.resdsl:8:3
         |
       8 |   <conv3(16); bn; relu
         |   - the path opened here

      error[E0002]: expected \`params\`, \`macs\` or \`output\` after \`expect\`, found \`flops\`
        --> broken.resdsl:10:10
         |
      10 |   expect flops == 12_345
         |          ^^^^^"
    `);
  });
});
