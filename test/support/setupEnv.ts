// Tests run the same in CI as on a laptop: Ink switches to a CI rendering mode when it sees CI variables at import
// time, which would change what the terminal-UI tests observe. Tests that exercise the CI behaviour of the wizard
// set CI explicitly on the process they start.
for (const key of Object.keys(process.env)) {
  if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete process.env[key];
}
