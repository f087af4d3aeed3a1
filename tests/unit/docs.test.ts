// The README and the documents stay true to the tree: every relative link leads to a file (and to
// a heading, for an anchor), every `npm run` command they name exists, none refers to the history
// of the work, and the README stays short enough to read in five minutes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCUMENTS = ['README.md', 'SECURITY.md', 'CONTRIBUTING.md', 'verifier/README.md', ...readdirSync('docs').map((file) => `docs/${file}`)];
const scripts = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).scripts);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const headingsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading));

describe.each(DOCUMENTS)('%s', (document) => {
  const text = readFileSync(document, 'utf8');

  it('links only to files and headings that exist', () => {
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target).filter((target) => !/^[a-z]+:/.test(target));
    const broken = links.filter((link) => {
      const [file, anchor] = link.split('#');
      const target = file ? path.join(path.dirname(document), file) : document;
      return !existsSync(target) || (anchor !== undefined && !headingsOf(target).includes(anchor));
    });
    expect(broken).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...text.matchAll(/npm run ([\w:-]+)/g)].map(([, script]) => script);
    expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it('describes the code as it is, not the history of the work', () => {
    expect(text).not.toMatch(/\bissues? \d+/i);
  });
});

describe('README.md', () => {
  it('stays within 150 lines and 12 KB', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12 * 1024);
  });

  it('says under Limits which mode meets OWASP ASVS V7.4.1, the sign-out requirement, and which does not', () => {
    const limits = readFileSync('README.md', 'utf8')
      .split(/^## /m)
      .find((section) => section.startsWith('Limits'))!;
    const asvs = limits
      .split(/\n- /)
      .find((item) => item.includes('V7.4.1'))!
      .replace(/\s+/g, ' ');
    expect(asvs).toContain('**stateful** meets it');
    expect(asvs).toContain('**Stateless** does not');
    expect(asvs).toContain('**Hybrid** does not either');
  });
});
