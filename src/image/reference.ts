// Image reference arithmetic, following the Docker reference grammar's rule for what names a registry.

/**
 * The registry an image reference names, or undefined for a Docker Hub short name (`flask:v1`, `me/flask`).
 * Per the reference grammar the first path component is a registry only when it contains `.` or `:` or is
 * `localhost` — and only when there is a further component (`flask:v1` has a tag, not a port).
 */
export function imageRegistry(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** A file-name-safe form of an image reference (for saved archives). */
export function imageFileName(image: string): string {
  return image.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
