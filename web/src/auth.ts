// What survives a reload: the chosen affiliate (demo mode) and the API key (key mode).
// localStorage, because an operator's screen should come back as it was left.
const KEY = 'affiliate-dashboard.api-key'
const AFFILIATE = 'affiliate-dashboard.affiliate-id'

function read(name: string): string | null {
  try {
    return localStorage.getItem(name)
  } catch {
    return null // storage disabled: the choice just does not persist
  }
}

function write(name: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(name)
    else localStorage.setItem(name, value)
  } catch {
    // storage disabled
  }
}

export const readApiKey = () => read(KEY)
export const writeApiKey = (key: string | null) => write(KEY, key)
export const readStoredAffiliate = () => read(AFFILIATE)
export const writeStoredAffiliate = (id: string) => write(AFFILIATE, id)
