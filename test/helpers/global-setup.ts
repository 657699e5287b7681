import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Integration tests boot the built app; they never build it themselves (one build, many boots).
 * Fail at once with the command to run instead of letting every file time out.
 */
export default function globalSetup(): void {
  const dist = path.resolve(__dirname, '../../cms/dist/src/index.js');
  if (!existsSync(dist)) {
    throw new Error(`cms/dist is missing (${dist}): run \`npm run build\` before the integration tests`);
  }
}
