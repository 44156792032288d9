import { type ReactNode, useId } from 'react'
import { CopyButton } from './copy-button.tsx'

interface Props {
  label: string
  value: string
  help: ReactNode
  /** The copy button's name; default "Copy <label>". */
  copyLabel?: string
  /** One of a list: label and help beside the field where there is room, not above it. */
  inline?: boolean
}

/** A URL to hand out: read-only (selected on focus) with a copy button beside it. */
export function CopyField({ label, value, help, copyLabel = `Copy ${label.toLowerCase()}`, inline = false }: Props) {
  const id = useId()
  const helpId = useId()
  return (
    <div className={inline ? 'grid gap-1 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)] sm:items-center sm:gap-4' : ''}>
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <p id={helpId} className="text-xs text-slate-500">
          {help}
        </p>
      </div>
      <div className={`flex gap-2 ${inline ? '' : 'mt-1'}`}>
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={helpId}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs"
        />
        <CopyButton text={value} label={copyLabel} />
      </div>
    </div>
  )
}
