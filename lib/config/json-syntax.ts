/**
 * Where a JSON text first breaks, as a line and column a user can jump to. Node's `JSON.parse` reports a character
 * offset at best, and for an unexpected token (Node 20) not even that, so this scanner walks the text by the JSON
 * grammar (RFC 8259) and stops at the first character that cannot continue it. It only locates: the value itself
 * still comes from `JSON.parse`.
 */
export interface JsonSyntaxProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, counted in characters. */
  readonly column: number;
  readonly problem: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let index = 0;
  const found = () => (index < text.length ? `found ${JSON.stringify(text[index])}` : 'found the end of the file');
  const fail = (expected: string): never => {
    throw new Stop(index, `expected ${expected}, ${found()}`);
  };
  const skipSpace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index])) index++;
  };
  const literal = (word: string) => {
    for (const character of word) {
      if (text[index] !== character) fail(`"${word}"`);
      index++;
    }
  };
  const string = () => {
    index++; // the opening quote
    for (;;) {
      if (index >= text.length) fail('a closing " for the string');
      const character = text[index];
      if (character === '"') {
        index++;
        return;
      }
      if (character < ' ') fail('no raw control character (a line break, tab) inside a string; write it as \\n or \\t');
      if (character === '\\') {
        index++;
        if (text[index] === 'u') {
          index++;
          for (let digit = 0; digit < 4; digit++, index++) if (!/[0-9a-fA-F]/.test(text[index] ?? '')) fail('four hex digits after \\u');
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[index] ?? 'x')) fail('one of " \\ / b f n r t u after a backslash');
      }
      index++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(index));
    if (!match) fail('a number');
    index += match![0].length;
  };
  const value = (): void => {
    skipSpace();
    const character = text[index];
    if (character === '{') return object();
    if (character === '[') return array();
    if (character === '"') return string();
    if (character === 't') return literal('true');
    if (character === 'f') return literal('false');
    if (character === 'n') return literal('null');
    if (character === '-' || (character >= '0' && character <= '9')) return number();
    fail('a value (an object, a list, a string in double quotes, a number, true, false or null)');
  };
  const object = () => {
    index++;
    skipSpace();
    if (text[index] === '}') {
      index++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[index] !== '"')
        fail(
          text[index] === '}' ? 'another property name in double quotes (no comma after the last one)' : 'a property name in double quotes',
        );
      string();
      skipSpace();
      if (text[index] !== ':') fail('":" after the property name');
      index++;
      value();
      skipSpace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === '}') {
        index++;
        return;
      }
      fail('"," or "}" after the property value');
    }
  };
  const array = () => {
    index++;
    skipSpace();
    if (text[index] === ']') {
      index++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[index] === ',') {
        index++;
        skipSpace();
        if (text[index] === ']') fail('another value (no comma after the last one)');
        continue;
      }
      if (text[index] === ']') {
        index++;
        return;
      }
      fail('"," or "]" after the list item');
    }
  };

  try {
    value();
    skipSpace();
    if (index < text.length) fail('nothing more after the document');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1, problem: error.problem };
  }
}
