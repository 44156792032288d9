import { useId, useState } from 'react'
import { type DateRange, type Preset, Presets, presetRange, todayUtc } from './range.ts'

interface Props {
  range: DateRange
  onChange: (range: DateRange) => void
}

export function DateRangePicker({ range, onChange }: Props) {
  const [editing, setEditing] = useState(range.preset === 'custom')
  const startId = useId()
  const endId = useId()
  const today = todayUtc()
  const button = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100'}`

  // With Custom open, Custom is the one selected: a preset still lit beside it would read as two choices.
  const selected = editing ? 'custom' : range.preset
  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Date range">
      {(Object.keys(Presets) as Preset[]).map((preset) => (
        <button
          key={preset}
          type="button"
          className={button(selected === preset)}
          aria-pressed={selected === preset}
          onClick={() => {
            setEditing(false)
            onChange(presetRange(preset, today))
          }}
        >
          {Presets[preset]}
        </button>
      ))}
      <button
        type="button"
        className={button(selected === 'custom')}
        aria-pressed={selected === 'custom'}
        aria-expanded={editing}
        onClick={() => setEditing(!editing)}
      >
        Custom
      </button>
      {editing && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault()
            const data = new FormData(event.currentTarget)
            const start = String(data.get('start'))
            const end = String(data.get('end'))
            if (start && end)
              onChange({ preset: 'custom', start: start <= end ? start : end, end: start <= end ? end : start })
          }}
        >
          <label htmlFor={startId} className="flex flex-col text-xs text-slate-600">
            From
            <input
              id={startId}
              name="start"
              type="date"
              required
              max={today}
              defaultValue={range.start}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
            />
          </label>
          <label htmlFor={endId} className="flex flex-col text-xs text-slate-600">
            To
            <input
              id={endId}
              name="end"
              type="date"
              required
              max={today}
              defaultValue={range.end}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
          >
            Apply
          </button>
        </form>
      )}
    </div>
  )
}
