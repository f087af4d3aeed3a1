// Types for scripts/ports.mjs, which the start script runs as plain JavaScript.
export function appPort(env?: Record<string, string | undefined>): number;
export function verifierPort(env?: Record<string, string | undefined>): number;
export function portInUseMessage(port: number, what: string, setting: string): string;
export function probePort(port: number, host: string): Promise<number>;
export function exitIfPortInUse(error: unknown, port: number, what: string, setting: string): void;
