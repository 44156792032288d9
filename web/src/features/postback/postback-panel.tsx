import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { CopyButton } from '../../components/copy-button.tsx'
import { Panel } from '../../components/panel.tsx'
import { Skeleton } from '../../components/skeleton.tsx'
import { ErrorState } from '../../components/states.tsx'
import { postbackUrlQuery } from '../../queries.ts'

function CopyField({ label, value, help }: { label: string; value: string; help: string }) {
  const id = useId()
  const helpId = useId()
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <p id={helpId} className="text-xs text-slate-500">
        {help}
      </p>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={helpId}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs"
        />
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  )
}

function PostbackDetails({ affiliateId }: { affiliateId: number }) {
  const { data, error, isPending, refetch } = useQuery(postbackUrlQuery(affiliateId))
  if (isPending) {
    return (
      <div role="status" aria-label="Loading postback URL" className="space-y-3">
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
      </div>
    )
  }
  if (error) return <ErrorState what="your postback URL" error={error} onRetry={() => void refetch()} />
  return (
    <div className="space-y-4">
      <CopyField
        label="Postback URL"
        value={data.postback_url}
        help="Give it to the advertiser: their server calls it when a sale happens, filling in the macros."
      />
      <CopyField
        label="Click link"
        value={data.click_url}
        help="Send your traffic here: each click is recorded, then redirected to the campaign's landing page."
      />
      {data.macros.length > 0 && (
        <div>
          <h3 className="text-sm font-medium">Macros</h3>
          <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
            {data.macros.map((macro) => (
              <div key={macro.macro} className="contents">
                <dt className="font-mono text-xs leading-5 text-slate-700">{macro.macro}</dt>
                <dd className="text-slate-600 wrap-anywhere">{macro.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  )
}

export function PostbackPanel({ affiliateId }: { affiliateId: number }) {
  return (
    <Panel title="Your postback URL">
      <PostbackDetails affiliateId={affiliateId} />
    </Panel>
  )
}
