// The engine's front door: the shells (Electron, web, CLI, tests) create the
// LabService here and know nothing else about the engine.
import { createLabService, type LabService } from './labService';

export interface EngineServiceOptions {
  shell: 'electron' | 'web' | 'test';
  version: string;
  /** Where saved progress and other per-user files live. */
  dataDir: string;
  log?: (line: string) => void;
  /** Opens a URL in the user's browser; each shell knows how (Electron's shell, xdg-open, a test spy). */
  openExternal?: (url: string) => Promise<void>;
}

export function createEngineService(opts: EngineServiceOptions): LabService {
  return createLabService({
    shell: opts.shell,
    version: opts.version,
    handlers: {
      openExternal: async ({ url }) => {
        await opts.openExternal?.(url);
      },
    },
    onUnexpectedError: (method, err) => opts.log?.(`${method}: unexpected error: ${err instanceof Error ? err.stack : String(err)}`),
  });
}
