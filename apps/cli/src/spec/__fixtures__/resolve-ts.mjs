// Lets Node run the TypeScript sources directly (it strips types itself): a relative `./x.js`
// import that does not exist is retried as `./x.ts`, as tsc maps them.
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith(".") && specifier.endsWith(".js")) {
        return next(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
