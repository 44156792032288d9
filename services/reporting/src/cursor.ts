// The opaque pagination cursor: base64url of [timestamp, id] of the last row shown.
import { badParameter } from '@affiliate/http/errors'
import type { Cursor } from './queries/conversions.ts'
import { instantOf } from './range.ts'

// As queries/conversions.ts prints it; instantOf then checks it names a date PostgreSQL takes.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.timestamp, cursor.id])).toString('base64url')
}

export function decodeCursor(raw: string): Cursor {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    TIMESTAMP.test(value[0]) &&
    instantOf(value[0]) !== undefined &&
    Number.isSafeInteger(value[1]) &&
    value[1] > 0
  ) {
    return { timestamp: value[0], id: value[1] }
  }
  throw badParameter('cursor', 'is not a cursor this API returned')
}
