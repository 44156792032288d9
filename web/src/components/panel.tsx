import { type ReactNode, useId } from 'react'

interface Props {
  title: string
  actions?: ReactNode
  children: ReactNode
}

/** A titled section of the dashboard; the heading names the region. */
export function Panel({ title, actions, children }: Props) {
  const id = useId()
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  )
}

export const buttonClass =
  'rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50'

export const selectClass = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm'
