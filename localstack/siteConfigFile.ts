// Reads a site configuration file (docs/site-configuration.md: JSON, YAML accepted too) and decodes it. Every problem
// is prefixed with the file name so a person knows which file to open.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import { decodeSiteConfig, type SiteConfig } from '../domain/site/siteConfig.ts';

const parseDocument = (text: string, path: string): E.Either<string, unknown> => {
  // .json is parsed as JSON for its exact error positions; anything else as YAML, which reads JSON too.
  if (extname(path).toLowerCase() === '.json') {
    try {
      return E.right(JSON.parse(text) as unknown);
    } catch (error) {
      return E.left(
        `not valid JSON (${error instanceof Error ? error.message : String(error)}); fix the syntax, or name the file .yaml to write YAML`,
      );
    }
  }
  try {
    // YAML 1.2 (the package's default) keeps `start: 06:00` a string; YAML 1.1 would read it as 360.
    return E.right(parseYaml(text, { version: '1.2', uniqueKeys: true }) as unknown);
  } catch (error) {
    return E.left(`not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
};

/** Decodes the text of a site configuration; `path` names it in errors and picks JSON (.json) or YAML. */
export const parseSiteConfigText = (text: string, path: string): E.Either<readonly string[], SiteConfig> => {
  const document = parseDocument(text, path);
  if (E.isLeft(document)) return E.left([`${path}: ${document.left}`]);
  const site = decodeSiteConfig(document.right);
  return E.isLeft(site) ? E.left(site.left.map((problem) => `${path}: ${problem}`)) : site;
};

/** Reads and decodes a site configuration file; a missing or unreadable file is one problem line. */
export const loadSiteConfigFile = async (path: string): Promise<E.Either<readonly string[], SiteConfig>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return E.left([
      code === 'ENOENT'
        ? `${path}: no such file; pass the path of a site configuration (JSON or YAML), e.g. localstack/sample/site.json`
        : code === 'EISDIR'
          ? `${path}: is a directory; pass the path of a site configuration file`
          : `${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  return parseSiteConfigText(text, path);
};
