const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];
const level = process.env.LOG_LEVEL?.trim() || 'http';
if (!LEVELS.includes(level)) {
  throw new Error(`LOG_LEVEL: must be one of ${LEVELS.join(', ')}, got "${level}"`);
}

export default { level };
