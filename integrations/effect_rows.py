"""The effects page's rows, printed once in Python.

50 rows a page; through the template each row cost four ``date`` filters, a
``{% url %}`` and a ``{% csrf_token %}`` (for those who may retry), a
``get_status_display`` call and about twenty variable lookups (issue #17).
Here each row is printed with every value escaped, in exactly the markup the
template printed (``tests/integrations/test_effect_rows.py`` compares the two).
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common.form_render import csrf_input
from common.models import EffectStatus
from common.moments import clock_text, day_time_text

STATUS_LABELS = dict(EffectStatus.choices)

ROW = """
  <tr>
    <td>{name}<br><span class="small muted">since {since}</span></td>
    <td>{target}</td>
    <td><span class="badge {badge}">{status}</span></td>
    <td>{attempts}</td>
    <td>{next}</td>
    <td class="small">{error}{retried}</td>
    {retry}
  </tr>
  """
RETRY = """<td>
      <form method="post" action="{action}" class="button-row button-row--flush">{csrf}
        <button class="btn btn--small btn--secondary" type="submit" aria-label="Retry {name} for {target} now">Retry now</button>
      </form>
    </td>"""  # noqa: E501 (the page's markup, line for line)


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper."""
    return html.escape(str(value))


def _next(effect) -> str:
    if effect.status == EffectStatus.PENDING:
        return _e(day_time_text(effect.next_attempt_at, seconds=True))
    if effect.status == EffectStatus.RUNNING:
        return f"abandoned (lease ended {_e(clock_text(effect.lease_until))})"
    return "—"


def effect_rows_html(effects, *, can_retry: bool, csrf_token: str) -> SafeString:
    """The ``<tbody>`` rows of ``effects`` (``effects_attention_page``'s, with
    ``retried_by`` loaded), escaped; a retry form each when ``can_retry``."""
    action = reverse("integrations:effect_retry", args=[0]).split("/0/")
    csrf = csrf_input(csrf_token)
    rows = []
    for effect in effects:
        name, target = _e(effect.short_name), _e(effect.target)
        retried = ""
        if effect.retried_by:
            retried = (
                f'<br><span class="muted">retried by {_e(effect.retried_by)} '
                f"{_e(day_time_text(effect.retried_at))}</span>"
            )
        retry = ""
        if can_retry:
            retry = RETRY.format(
                action=f"{action[0]}/{int(effect.pk)}/{action[1]}",
                csrf=csrf,
                name=name,
                target=target,
            )
        rows.append(
            ROW.format(
                name=name,
                since=_e(day_time_text(effect.created_at)),
                target=target,
                badge="badge--danger" if effect.status == EffectStatus.FAILED else "",
                status=_e(STATUS_LABELS.get(effect.status, effect.status)),
                attempts=_e(effect.attempts),
                next=_next(effect),
                error=_e(effect.last_error or "—"),
                retried=retried,
                retry=retry,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by _e)
