import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/ui/format.js';
import { planText } from '../../src/ui/planText.js';

describe('actionable text is wrapped, not cut', () => {
  const fix =
    'sidecar injection is not enabled on namespace default: pods run without the Envoy sidecar; fix: kubectl label namespace default istio-injection=enabled';

  it('keeps every word of a fix line at 80 columns', () => {
    const lines = wrapText(fix, 78);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(78);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(fix);
    expect(lines.join('')).not.toContain('…');
  });

  it('breaks a command with " \\" so it still pastes as one command', () => {
    const cmd =
      'curl --resolve flask.example1.com:443:10.0.0.1 --cacert /home/someone/project/.wizard/certs/ca.crt https://flask.example1.com:443/version';
    const lines = wrapText(cmd, 60, { shell: true });
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of lines.slice(0, -1)) expect(l.endsWith(' \\')).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(cmd);
  });

  it('a plan at 80 columns shows its commands and notes whole', () => {
    const { lines } = planText(
      {
        notes: [fix],
        commands: [
          {
            cmd: 'docker',
            args: [
              'build',
              '-t',
              'registry.example.com:5000/team/python-flask-server:v2',
              '/a/long/path/to/the/flask/context',
            ],
          },
        ],
      },
      { width: 78 },
    );
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(78);
    expect(lines.join('\n')).not.toContain('…');
    expect(lines.join(' ')).toContain('istio-injection=enabled');
    expect(lines.join(' ')).toContain('/a/long/path/to/the/flask/context');
  });
});
