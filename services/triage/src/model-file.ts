import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { DefaultDeserializer, DefaultSerializer } from 'node:v8';

/**
 * How the training process hands the service its models: a file, the models' structure (v8-serialized:
 * labels, vocabularies, ids) first and their tables' numbers after it, which the reader reads straight
 * into the tables it keeps. Not the IPC channel: a message arrives in 64 KB reads that glibc places in
 * its main heap and, freed, keeps there; the 20 MB of tables left the service's heap 20 MB larger for
 * good. Here the only buffer is the structure's (about 2 MB).
 *
 * Layout: the structure's length (uint32, little-endian), the structure, then each table's bytes in the
 * order the structure names them.
 */

/** The tables a model holds; anything else typed would be a new kind of model, to be added here. */
const TABLE_TYPES = [Float64Array, Float32Array, Uint16Array, Uint32Array] as const;
type Table = InstanceType<(typeof TABLE_TYPES)[number]>;

class TablesApart extends DefaultSerializer {
  readonly tables: Table[] = [];

  /** Called by V8 for every typed array met: its type and length go in the structure, its numbers after it. */
  _writeHostObject(view: ArrayBufferView): void {
    const type = TABLE_TYPES.findIndex((t) => view instanceof t);
    if (type < 0) throw new Error(`model file: a ${view.constructor.name} is not a model table`);
    this.writeUint32(type);
    this.writeUint32((view as Table).length);
    this.tables.push(view as Table);
  }
}

class TablesFromFile extends DefaultDeserializer {
  readonly #fd: number;
  #position: number;

  constructor(structure: Buffer, fd: number, tablesAt: number) {
    super(structure);
    this.#fd = fd;
    this.#position = tablesAt;
  }

  /** Each table allocated at its final size and filled from the file, in the order written. */
  _readHostObject(): Table {
    const Type = TABLE_TYPES[this.readUint32()];
    if (!Type) throw new Error('model file: unknown table type');
    const table = new Type(this.readUint32());
    readFully(this.#fd, new Uint8Array(table.buffer, table.byteOffset, table.byteLength), this.#position);
    this.#position += table.byteLength;
    return table;
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.byteLength; ) {
    const read = readSync(fd, into, done, into.byteLength - done, position + done);
    if (read === 0) throw new Error('model file: ends before its tables do');
    done += read;
  }
}

/** Writes `value` (plain data, Maps, and tables of the TABLE_TYPES) to a new file at `path`. */
export function writeModelFile(path: string, value: unknown): void {
  const serializer = new TablesApart();
  serializer.writeHeader();
  serializer.writeValue(value);
  const structure = serializer.releaseBuffer();
  const length = Buffer.alloc(4);
  length.writeUInt32LE(structure.byteLength);
  const fd = openSync(path, 'wx');
  try {
    writeFully(fd, length);
    writeFully(fd, structure);
    for (const table of serializer.tables) writeFully(fd, new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
  } finally {
    closeSync(fd);
  }
}

/** What writeModelFile wrote at `path`. */
export function readModelFile(path: string): unknown {
  const fd = openSync(path, 'r');
  try {
    const length = Buffer.alloc(4);
    readFully(fd, length, 0);
    const structure = Buffer.alloc(length.readUInt32LE());
    readFully(fd, structure, 4);
    const deserializer = new TablesFromFile(structure, fd, 4 + structure.byteLength);
    deserializer.readHeader();
    return deserializer.readValue();
  } finally {
    closeSync(fd);
  }
}
