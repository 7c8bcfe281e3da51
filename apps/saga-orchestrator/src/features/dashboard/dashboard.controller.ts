import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Public } from '@tradecore/auth';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SagaOrchestratorEnv } from '../../saga-orchestrator.env';

/** Built by `npm run build` (vite) next to the compiled app; from sources, the repository's dist/. */
function dashboardDirectory(configured: string | undefined): string | undefined {
  const candidates = [
    configured,
    resolve(__dirname, '../../../dashboard'),
    resolve(process.cwd(), 'dist/apps/saga-orchestrator/dashboard'),
  ].filter((dir): dir is string => Boolean(dir));
  // The sources hold an index.html too; only a build has assets/.
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')));
}

/**
 * The ops dashboard's static files. The page itself is public (it holds no data and asks for an
 * admin login); every API call it makes carries the admin's token.
 */
@Controller('ops')
@Public()
export class DashboardController {
  private readonly directory: string | undefined;

  constructor(@Inject(ConfigService) config: ConfigService<SagaOrchestratorEnv, true>) {
    this.directory = dashboardDirectory(config.get('OPS_DASHBOARD_DIR', { infer: true }));
  }

  @Get()
  page(@Res() response: Response): void {
    this.send(response, 'index.html', 'no-cache');
  }

  @Get('ui/*path')
  asset(@Param('path') path: string | string[], @Res() response: Response): void {
    const file = Array.isArray(path) ? path.join('/') : path;
    this.send(
      response,
      file,
      file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
  }

  private send(response: Response, file: string, cacheControl: string): void {
    if (!this.directory)
      throw new NotFoundException({
        code: 'DASHBOARD_NOT_BUILT',
        message: 'The ops dashboard is not built; run `npm run build`',
      });
    response.setHeader('Cache-Control', cacheControl);
    response.sendFile(file, { root: this.directory, dotfiles: 'deny' }, (error) => {
      if (error && !response.headersSent)
        response
          .status(404)
          .json({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: `no ${file}` });
    });
  }
}
