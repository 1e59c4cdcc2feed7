// Saves a record's draft as the person types (issue 7: no lost work). Progressive enhancement only:
// without this script the "Save draft" button saves the same form. A few seconds after the last
// change, the form is posted with fetch to the same address, with the CSRF token in the
// x-csrf-token header; the server answers with the new draft version, which the form then carries.
// When someone else has saved the draft meanwhile (409), autosaving stops and the person is told to
// use "Save draft", which shows them what they typed beside the other person's version.
// When a field holds characters Haven cannot store (400, issue 12), nothing is saved and nothing
// in the form changes: the person is told which field, and saving resumes at their next change.

const WAIT_MS = 3000

function start(form) {
  const url = form.getAttribute('data-autosave')
  const status = document.getElementById('autosave-status')
  const version = form.querySelector('input[name="draftVersion"]')
  const csrf = form.querySelector('input[name="_csrf"]')
  if (!url || !version || !csrf) return

  let timer = null
  let inFlight = null
  let dirty = false
  let stopped = false

  const say = (text) => {
    if (status) status.textContent = text
  }

  // The label the person sees for a field, or null.
  const labelOf = (name) => {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`)
    if (!control) return null
    const label = control.id ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null
    const legend = control.closest('fieldset')?.querySelector('legend')
    const text = (label ?? legend)?.textContent.replace(/\s+/g, ' ').trim()
    return text || null
  }

  const save = async () => {
    timer = null
    if (stopped || !dirty) return
    if (inFlight) {
      schedule()
      return
    }
    dirty = false
    const body = new URLSearchParams(new FormData(form))
    inFlight = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': csrf.value,
      },
      body,
    })
      .then(async (response) => {
        const answer = await response.json().catch(() => ({}))
        if (response.ok && answer.saved) {
          version.value = String(answer.draftVersion)
          for (const [name, id] of Object.entries(answer.ids ?? {})) {
            const input = form.querySelector(`input[name="${CSS.escape(name)}"]`)
            if (input && input.value === '') input.value = id
          }
          const time = new Date(answer.savedAt).toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit' })
          say(`Draft saved at ${time}`)
        } else if (response.status === 400 && answer.error === 'unusual-characters') {
          // Retrying would fail the same way: wait for the person to change the field.
          const label = typeof answer.field === 'string' ? labelOf(answer.field) : null
          const message = label && answer.rule ? `${label} ${answer.rule}` : answer.message
          say(`Your draft has not been saved. ${message ?? 'A field has characters Haven cannot store'}.`)
        } else if (response.status === 409) {
          stopped = true
          say(
            `${answer.message ?? 'Someone else has changed this record'}. Your latest changes have not been saved: select Save draft to see both versions.`,
          )
        } else {
          dirty = true
          say('Your draft could not be saved automatically. Select Save draft to save it.')
        }
      })
      .catch(() => {
        dirty = true
        say('Your draft could not be saved automatically. Check your connection, then select Save draft.')
      })
      .finally(() => {
        inFlight = null
        if (dirty && !stopped) schedule()
      })
    await inFlight
  }

  const schedule = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, WAIT_MS)
  }

  const changed = () => {
    if (stopped) return
    dirty = true
    schedule()
  }
  form.addEventListener('input', changed)
  form.addEventListener('change', changed)

  // A button press submits the form as usual, but never while an autosave is on its way: that
  // would send an old draft version and be refused as someone else's change.
  form.addEventListener('submit', (event) => {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    stopped = true
    if (inFlight) {
      event.preventDefault()
      const submitter = event.submitter
      inFlight.finally(() => {
        if (submitter && typeof form.requestSubmit === 'function') form.requestSubmit(submitter)
        else form.submit()
      })
    }
  })
}

for (const form of document.querySelectorAll('form[data-autosave]')) start(form)
