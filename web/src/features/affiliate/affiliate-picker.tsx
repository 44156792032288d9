import type { Affiliate } from '@affiliate/contracts'
import { useId } from 'react'
import { selectClass } from '../../components/panel.tsx'

interface Props {
  affiliates: Affiliate[]
  /** undefined: none yet (the one asked for does not exist). */
  selected: number | undefined
  onSelect: (id: number) => void
}

export function AffiliatePicker({ affiliates, selected, onSelect }: Props) {
  const id = useId()
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-600">
        Affiliate
      </label>
      <select id={id} className={selectClass} value={selected ?? ''} onChange={(e) => onSelect(Number(e.target.value))}>
        {selected === undefined && (
          <option value="" disabled>
            Choose an affiliate
          </option>
        )}
        {affiliates.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} (#{a.id})
          </option>
        ))}
      </select>
    </div>
  )
}
