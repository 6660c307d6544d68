// Last line of defence for tokens: every token the CLI reads from the environment is registered
// here, and everything the CLI writes to stdout/stderr passes through redact(). The library never
// puts a token in a message in the first place; this guards against the case we did not foresee.

const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real page tokens are long.
  if (value && value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}
