// One-click copy of a decision's copy-ready entry (issue 15). Without this script the entry is
// plain selectable text on the page, and the button is never shown.
for (const block of document.querySelectorAll('[data-copy-entry]')) {
  const source = document.getElementById(block.getAttribute('data-copy-entry'))
  if (!source || !navigator.clipboard) continue
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary'
  button.textContent = 'Copy the entry'
  const status = document.createElement('p')
  status.className = 'govuk-body govuk-!-margin-bottom-0'
  status.setAttribute('role', 'status')
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim())
      status.textContent = 'Copied. Paste it into the child’s record.'
    } catch {
      status.textContent = 'Your browser did not allow copying. Select the text and copy it instead.'
    }
  })
  block.append(button, status)
}
