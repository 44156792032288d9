import { type ReactNode, useId } from 'react'

interface Props {
  label: string
  children: ReactNode
  hint?: ReactNode
  /** Small figures sit beside the main ones: what was left out of them. */
  size?: 'large' | 'small'
}

/** A named figure: assistive technology reads it as a group called `label`. */
export function StatCard({ label, children, hint, size = 'large' }: Props) {
  const id = useId()
  const large = size === 'large'
  return (
    <div
      role="group"
      aria-labelledby={id}
      className={`rounded-lg bg-white ring-1 ring-slate-200 ${large ? 'p-4' : 'px-4 py-2'}`}
    >
      <div id={id} className={`font-medium text-slate-500 ${large ? 'text-sm' : 'text-xs'}`}>
        {label}
      </div>
      <div className={`tabular-nums ${large ? 'mt-1 text-2xl font-semibold' : 'text-lg font-medium text-slate-700'}`}>
        {children}
      </div>
      {hint && <div className="mt-1 text-xs text-slate-500">{hint}</div>}
    </div>
  )
}
