// The one error body of every service: {"status":"error","code":"…","message":"…"}.
import { type Static, Type } from '@sinclair/typebox'

export const ErrorBodySchema = Type.Object({
  status: Type.Literal('error'),
  code: Type.String({ description: 'Stable lower_snake_case code, e.g. bad_parameter', examples: ['bad_parameter'] }),
  message: Type.String({ description: 'A sentence for people; clients branch on code' }),
  parameter: Type.Optional(Type.String({ description: 'Set on bad_parameter: the parameter that was refused.' })),
})
export type ErrorBody = Static<typeof ErrorBodySchema>
