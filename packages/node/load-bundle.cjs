'use strict';
// Loads dist/bundle/start.js, the one-file build of Strata, with a V8 code
// cache. Most of the bundle's start-up cost is V8 compiling its functions the
// first time they run (zod and yaml for strata.yaml, the SDK); a code cache
// taken once start-up and the first requests have run skips that work on the
// next start. The cache holds Strata's code only, never the application's.
//
// Where: $NODE_COMPILE_CACHE if set (the directory a user gave Node's own
// compile cache), else <tmpdir>/strata-node-cache. NODE_DISABLE_COMPILE_CACHE=1
// turns it off. A directory that is not ours alone (another owner, group- or
// world-writable) is not used. Every failure just means no cache.
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const filename = path.join(__dirname, 'dist', 'bundle', 'start.js');
const WRITE_AFTER_MS = 3000;

function cacheFile() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  let digest;
  try {
    // Written by scripts/bundle.mjs. V8 checks a cache against the source's
    // length only, so the name must change whenever the bundle does.
    digest = fs.readFileSync(`${filename}.sha256`, 'utf8').trim().slice(0, 16);
  } catch {
    return undefined;
  }
  const dir = process.env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), 'strata-node-cache');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  // V8 rejects a cache made by another V8 or with other flags.
  return path.join(dir, `strata-${digest}-${process.version}-${process.arch}.v8cache`);
}

function readCache(file) {
  try {
    return file ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function writeCacheLater(script, file, exports) {
  const timer = setTimeout(() => {
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      // A cache carries a hash of V8's flags; Strata may have changed one since start-up.
      const data = exports.withDefaultV8Flags(() => script.createCachedData());
      fs.writeFileSync(tmp, data, { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk: start-up stays as it is.
    }
  }, WRITE_AFTER_MS);
  timer.unref();
}

/** The bundle's exports (`start`), loaded once per process like any module. */
function loadStrata() {
  const cached = require.cache[filename];
  if (cached?.loaded) return cached.exports;
  const source = fs.readFileSync(filename, 'utf8');
  const file = cacheFile();
  const cachedData = readCache(file);
  const script = new vm.Script(Module.wrap(source), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  require.cache[filename] = mod;
  try {
    script
      .runInThisContext()
      .call(
        mod.exports,
        mod.exports,
        Module.createRequire(filename),
        mod,
        filename,
        path.dirname(filename),
      );
  } catch (err) {
    delete require.cache[filename];
    throw err;
  }
  mod.loaded = true;
  if (file && (!cachedData || script.cachedDataRejected))
    writeCacheLater(script, file, mod.exports);
  return mod.exports;
}

module.exports = { loadStrata };
