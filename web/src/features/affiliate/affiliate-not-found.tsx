import { useId } from 'react'

/** ?affiliate= names an affiliate that does not exist (or that this key may not see): say so, show no one else's figures. */
export function AffiliateNotFound({ wanted }: { wanted: string }) {
  const id = useId()
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white p-6 ring-1 ring-slate-200">
      <h2 id={id} className="text-base font-semibold">
        Affiliate not found
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        There is no affiliate #{wanted}. Choose one in the Affiliate picker above.
      </p>
    </section>
  )
}
