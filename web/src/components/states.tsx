import type { ReactNode } from 'react'
import { ApiError } from '../api.ts'

export function errorMessage(error: Error): string {
  if (error instanceof ApiError && error.unreachable) {
    return 'The reporting API is unreachable. The dashboard retries automatically.'
  }
  return error.message || 'Something went wrong.'
}

/** What failed and a way to try again — never a blank area. */
export function ErrorState({ error, onRetry, what }: { error: Error; onRetry?: () => void; what: string }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-medium">Could not load {what}.</p>
      <p className="mt-1">{errorMessage(error)}</p>
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded-md bg-white px-3 py-1 font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-100"
        >
          Try again
        </button>
      )}
    </div>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-dashed border-slate-300 p-4 text-center text-sm text-slate-500">
      {children}
    </p>
  )
}
