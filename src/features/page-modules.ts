/**
 * How a feature's plugin (`<area>/routes.ts`) registers its page modules (`<area>/routes/*.ts`):
 * each as a Fastify plugin of its own, in the order given, so a feature lists its fixed addresses
 * (`/contracts/mine`) before the ones with a parameter (`/contracts/:id`). Hooks the feature adds
 * before the call apply to every module.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'

export async function registerPageModules(app: FastifyInstance, modules: readonly FastifyPluginAsync[]): Promise<void> {
  for (const module of modules) await app.register(module)
}
