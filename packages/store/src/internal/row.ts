import type { SQLOutputValue } from "node:sqlite";
import { InternalError } from "@longshot/core";
import type { z } from "zod";

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

function fail(column: string, expected: string, value: SQLOutputValue | undefined): never {
  throw new InternalError(`Column ${column} holds ${String(value)}, expected ${expected}.`, {
    fields: { column },
  });
}

export function text(row: Row, column: string): string {
  const value = row[column];
  return typeof value === "string" ? value : fail(column, "text", value);
}

export function textOrNull(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null) return null;
  return typeof value === "string" ? value : fail(column, "text or null", value);
}

export function num(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return fail(column, "a number", value);
}

export function numOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : num(row, column);
}

export function boolOrNull(row: Row, column: string): boolean | null {
  return row[column] === null ? null : num(row, column) !== 0;
}

/** Parses a JSON column through a schema: stored records are validated like any other boundary. */
export function json<S extends z.ZodType>(row: Row, column: string, schema: S): z.infer<S> {
  const raw = text(row, column);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new InternalError(`Column ${column} holds invalid JSON.`, { cause: error, fields: { column } });
  }
  return schema.parse(value);
}

export function jsonOrNull<S extends z.ZodType>(row: Row, column: string, schema: S): z.infer<S> | null {
  return row[column] === null ? null : json(row, column, schema);
}
