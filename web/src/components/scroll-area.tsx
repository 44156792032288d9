import { type ReactNode, useEffect, useRef, useState } from 'react'

/**
 * A table wider than the screen scrolls sideways inside its panel. Columns past the edge
 * would look cut off, so a fade marks each side with more, and a line says how to reach them.
 */
export function ScrollArea({ children }: { children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null)
  const [more, setMore] = useState({ left: false, right: false })
  useEffect(() => {
    const element = scroller.current
    if (!element) return
    const update = () => {
      const left = element.scrollLeft > 1
      const right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1
      setMore((current) => (current.left === left && current.right === right ? current : { left, right }))
    }
    update()
    element.addEventListener('scroll', update, { passive: true })
    const observer = new ResizeObserver(update)
    observer.observe(element)
    if (element.firstElementChild) observer.observe(element.firstElementChild)
    return () => {
      element.removeEventListener('scroll', update)
      observer.disconnect()
    }
  }, [])
  const overflows = more.left || more.right
  const fade = 'pointer-events-none absolute inset-y-0 w-8 from-white to-transparent'
  return (
    <div>
      <div className="relative">
        {/* Focusable when it scrolls, so that the arrow keys reach the hidden columns too. */}
        <div ref={scroller} tabIndex={overflows ? 0 : undefined} className="-mx-4 overflow-x-auto px-4">
          {children}
        </div>
        {more.left && <div aria-hidden="true" data-scroll-cue="left" className={`${fade} -left-4 bg-linear-to-r`} />}
        {more.right && <div aria-hidden="true" data-scroll-cue="right" className={`${fade} -right-4 bg-linear-to-l`} />}
      </div>
      {overflows && (
        <p className="mt-1 text-xs text-slate-500">
          <span aria-hidden="true">↔ </span>Scroll sideways for more columns
        </p>
      )}
    </div>
  )
}
