/** One pino logger for the process; components take a child (`log.child({ component: 'apiserver' })`). */
import { pino } from 'pino';

export const log = pino({
  level: process.env.BATCHD_LOG_LEVEL ?? 'info',
  base: null,
});

export type Logger = typeof log;
