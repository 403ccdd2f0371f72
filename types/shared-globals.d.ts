/**
 * The few globals shared/ may use: present in Node and in browsers alike (WHATWG URL, structuredClone).
 * Declared here so that tsconfig.shared.json can check shared/ without the DOM library.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly username: string;
  readonly password: string;
  readonly href: string;
}
