// Loads the built CLI (dist/, CommonJS chunks: scripts/build.mjs) with a V8 code cache, so a
// one-shot command spends its start-up running code rather than compiling it. Each chunk is compiled
// through vm.Script with the bytes V8 cached on an earlier run; after a run that exits 0, the chunks
// compiled without a usable cache get one, made then so it holds the functions that ran.
//
// The cache lives in the user's cache folder ($XDG_CACHE_HOME/poscust, ~/.cache/poscust, the
// platform's elsewhere), owner-only, one pack file per V8 version. V8 checks a cache only against
// the source's length, so each entry is keyed by the chunk and a hash of its content: an edited
// chunk, another build or another Node never finds a cache that is not its own. A pack that is not
// a regular file of ours (a link, another user's) or is damaged is ignored and rewritten; an entry
// V8 rejects is replaced; a folder that cannot be written means no cache, silently. With source maps on (node --enable-source-maps, or
// POSCUST_NO_CODE_CACHE=1) Node's own loader runs the chunks, so stack traces point into src/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// Not node:module (its Module.wrap and createRequire): loading it loads Node's ES module loader,
// a few ms this start-up does not need.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

const DIST = path.join(__dirname, '..', 'dist');

/** 64 bits of two FNV-1a passes over the source's UTF-16 units: about 0.5 ms per 500 KB. */
function contentHash(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The cache folder, or null when there is no usable home for one. */
function cacheDir(env) {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : process.platform === 'darwin' && env.HOME
        ? path.join(env.HOME, 'Library', 'Caches')
        : process.platform === 'win32' && env.LOCALAPPDATA
          ? env.LOCALAPPDATA
          : env.HOME && path.isAbsolute(env.HOME)
            ? path.join(env.HOME, '.cache')
            : null;
  return base ? path.join(base, 'poscust', `v8-${process.versions.v8}`) : null;
}

/** A regular file of ours, not a link, not writable by others; else null. */
function readOwn(file) {
  try {
    const st = fs.lstatSync(file);
    const uid = process.getuid ? process.getuid() : st.uid;
    if (!st.isFile() || st.uid !== uid || st.mode & 0o022 || st.size === 0) return null;
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/**
 * The folder, made owner-only if missing, one level at a time from the cache root (a recursive
 * mkdir never returned under /proc here); false when it is not ours to write.
 */
function ownFolder(dir) {
  try {
    const poscust = path.dirname(dir);
    for (const level of [path.dirname(poscust), poscust, dir]) {
      try {
        fs.mkdirSync(level, { mode: 0o700 });
      } catch (err) {
        if (err.code !== 'EEXIST') return false;
      }
    }
    const st = fs.lstatSync(dir);
    const uid = process.getuid ? process.getuid() : st.uid;
    return st.isDirectory() && st.uid === uid && !(st.mode & 0o022);
  } catch {
    return false;
  }
}

const builtin = require;
const resolved = new Map();
/** `./chunks/x.js` from a folder, resolved once (path.resolve per require showed in profiles). */
function resolveChunk(dir, specifier) {
  const key = `${dir}\0${specifier}`;
  let file = resolved.get(key);
  if (file === undefined) resolved.set(key, (file = path.resolve(dir, specifier)));
  return file;
}

/**
 * The pack: every chunk's cache in one file (one read per start, not one per chunk). Layout: the
 * magic `PCC1`, the length of a JSON index, the index ({"<chunk>.<hash>": [offset, length]}),
 * then the bytes V8 made, back to back.
 */
const MAGIC = Buffer.from('PCC1');

function readPack(file) {
  const bytes = readOwn(file);
  const entries = new Map();
  try {
    if (!bytes || bytes.length < 8 || !bytes.subarray(0, 4).equals(MAGIC)) return entries;
    const indexLength = bytes.readUInt32LE(4);
    const index = JSON.parse(bytes.subarray(8, 8 + indexLength).toString('utf8'));
    const base = 8 + indexLength;
    for (const [key, [offset, length]] of Object.entries(index)) {
      if (Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && base + offset + length <= bytes.length) {
        entries.set(key, bytes.subarray(base + offset, base + offset + length));
      }
    }
  } catch {
    entries.clear(); // A damaged pack holds nothing usable: it is rewritten.
  }
  return entries;
}

function writePack(file, entries) {
  const index = {};
  let offset = 0;
  for (const [key, data] of entries) {
    index[key] = [offset, data.length];
    offset += data.length;
  }
  const head = Buffer.from(JSON.stringify(index));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, Buffer.concat([MAGIC, size, head, ...entries.values()]), { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

function createLoader(env) {
  const dir = env.POSCUST_NO_CODE_CACHE ? null : cacheDir(env);
  const packFile = dir && path.join(dir, 'chunks.pack');
  let pack;
  const modules = new Map();
  /** Chunks compiled without a usable cache: they get one after a successful run. */
  const fresh = [];

  /** A chunk's source compiled with its cache (when there is one), noted for a new cache when not. */
  function compile(source, file, chunk) {
    const key = packFile ? `${chunk}.${contentHash(source)}` : null;
    if (key) pack ??= readPack(packFile);
    const cachedData = key ? pack.get(key) : undefined;
    const script = new vm.Script(WRAP_HEAD + source + WRAP_TAIL, {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (key && (!cachedData || script.cachedDataRejected)) fresh.push({ script, key, chunk });
    return script.runInThisContext();
  }

  function load(file) {
    const known = modules.get(file);
    if (known) return known.exports;
    const factory = compile(fs.readFileSync(file, 'utf8'), file, path.basename(file, '.js'));
    const module = { exports: {}, filename: file, id: file, loaded: false };
    modules.set(file, module);
    const folder = path.dirname(file);
    // Chunks through this loader; anything else is one of Node's built-ins (the build bundles every
    // dependency), required through this file's own require, which is set up already (a
    // createRequire per chunk cost 5 ms on its first use).
    const require = (specifier) => (specifier.startsWith('./') || specifier.startsWith('../') ? load(resolveChunk(folder, specifier)) : builtin(specifier));
    factory.call(module.exports, module.exports, require, module, file, folder);
    module.loaded = true;
    return module.exports;
  }

  /**
   * Adds the caches of the chunks that had none to the pack, made now so they hold the functions
   * that ran, and drops the caches of chunks no longer in dist/ or of their old content. Written
   * atomically; any failure means no cache, never an error.
   */
  function save() {
    if (!fresh.length || !ownFolder(dir)) return;
    let chunks;
    try {
      chunks = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(DIST, 'manifest.json'), 'utf8')).files).map((f) => path.basename(f, '.js')));
    } catch {
      return;
    }
    const renewed = new Set(fresh.map((f) => f.chunk));
    const next = new Map();
    for (const [key, data] of readPack(packFile)) {
      const chunk = key.slice(0, key.lastIndexOf('.'));
      if (chunks.has(chunk) && !renewed.has(chunk)) next.set(key, data);
    }
    for (const { script, key } of fresh) {
      try {
        next.set(key, script.createCachedData());
      } catch {
        // This chunk goes without a cache.
      }
    }
    writePack(packFile, next);
  }

  return { load, save };
}

/** Runs dist/cli.js, with the code cache unless source maps are wanted. */
function start() {
  const entry = path.join(DIST, 'cli.js');
  if (!fs.existsSync(entry)) {
    process.stderr.write('poscust: the build is missing (dist/cli.js); run `npm run build`\n');
    process.exitCode = 1;
    return;
  }
  if (process.sourceMapsEnabled) {
    require(entry);
    return;
  }
  const loader = createLoader(process.env);
  process.once('exit', (code) => {
    if (code === 0) loader.save();
  });
  loader.load(entry);
}

module.exports = { start, createLoader, contentHash, cacheDir };
