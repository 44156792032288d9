// The value lists of the contract, without TypeBox: the dashboard imports these at run time
// (a sub-id picker, interval toggles) and its bundle should not carry a schema builder.

/** Bucket sizes of /timeseries. */
export const Intervals = ['hour', 'day'] as const
export type Interval = (typeof Intervals)[number]

/** The click's sub-ids that /breakdown ranks. */
export const SubIds = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const
export type SubId = (typeof SubIds)[number]

/** A conversion's status; rejected ones count in no figure. */
export const ConversionStatuses = ['approved', 'pending', 'rejected'] as const
export type ConversionStatus = (typeof ConversionStatuses)[number]
