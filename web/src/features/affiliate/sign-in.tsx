import { useQueryClient } from '@tanstack/react-query'
import { useId } from 'react'
import { readApiKey, writeApiKey } from '../../auth.ts'

/** Key mode (AUTH_MODE=key): the reporting API answered 401, so the dashboard asks for an API key. */
export function SignIn() {
  const queryClient = useQueryClient()
  const id = useId()
  const helpId = useId()
  const rejected = readApiKey() !== null
  return (
    <form
      className="mx-auto mt-12 max-w-md space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault()
        const key = String(new FormData(event.currentTarget).get('key') ?? '').trim()
        if (!key) return
        writeApiKey(key)
        void queryClient.resetQueries()
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Sign in
      </h2>
      <p id={helpId} className="text-sm text-slate-600">
        This dashboard needs an API key. Your network operator creates one with{' '}
        <code>pnpm apikey create --affiliate N</code>.
      </p>
      {rejected && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
          That API key was not accepted. Check it and try again.
        </p>
      )}
      <div>
        <label htmlFor={id} className="block text-sm font-medium">
          API key
        </label>
        <input
          id={id}
          name="key"
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
          aria-describedby={helpId}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
        />
      </div>
      <button
        type="submit"
        className="w-full rounded-md bg-blue-600 px-3 py-2 text-sm font-medium text-white hover:bg-blue-700"
      >
        Sign in
      </button>
    </form>
  )
}

export function SignOutButton({ className }: { className: string }) {
  const queryClient = useQueryClient()
  return (
    <button
      type="button"
      className={className}
      onClick={() => {
        writeApiKey(null)
        void queryClient.resetQueries()
      }}
    >
      Sign out
    </button>
  )
}
