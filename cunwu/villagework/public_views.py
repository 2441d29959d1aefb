"""Public pages (no login): the villagers' satisfaction questionnaire （五） and a village's posts （六）."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from cunwu.errors import Invalid
from cunwu.throttling import check_rate

from . import rules, selectors, services
from .forms import AnswerForm


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    """群众满意度测评: phone-first, no account; the one-time code admits one anonymous answer."""
    if request.method != "POST":
        form = AnswerForm(initial={"code": request.GET.get("code", "")[:20]})
        return render(request, "villagework/public/survey.html", {"form": form, "marks": rules.MARKS})
    check_rate(request, "public")
    form = AnswerForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = services.survey_answer(code=d["code"], marks={q: d[q] for q, _ in rules.QUESTIONS})
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            response = render(request, "villagework/public/thanks.html", {"village": done.village})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "villagework/public/survey.html", {"form": form, "marks": rules.MARKS}, status=422)


@require_GET
def posts(request: HttpRequest, code: str) -> HttpResponse:
    """A village's posts under 大岗位制, with holders' names masked （六）."""
    check_rate(request, "public")
    place, rows = selectors.public_posts(code)
    return render(request, "villagework/public/posts.html", {"place": place, "rows": rows})
