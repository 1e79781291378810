"""Lending pages: placing a hold (/lending/…), the circulation desk (/desk/…) and the
reader's lending actions (/me/loans/…, /me/holds/…).

Mounted once, at the root of the language patterns: `path("", include("circulation.urls"))`.
"""

from django.urls import path

from circulation import me, views, views_desk

app_name = "circulation"

urlpatterns = [
    path("lending/hold/<int:pk>/", views.hold_place_view, name="hold_place"),
    path("desk/", views_desk.desk_index, name="desk"),
    path("desk/library/", views_desk.desk_branch, name="desk_branch"),
    path("desk/checkout/", views_desk.desk_checkout, name="desk_checkout"),
    path("desk/checkout/finish/", views_desk.desk_finish, name="desk_finish"),
    path("desk/checkout/receipt/", views_desk.desk_receipt, name="desk_receipt"),
    path("desk/loans/<int:pk>/renew/", views_desk.desk_renew, name="desk_renew"),
    path("desk/checkin/", views_desk.desk_checkin, name="desk_checkin"),
    path("desk/calls/", views_desk.desk_calls, name="desk_calls"),
    path("me/loans/", me.me_loans, name="me_loans"),
    path("me/loans/renew-all/", me.me_loans_renew_all, name="me_loans_renew_all"),
    path("me/loans/calendar.ics", me.me_loans_calendar, name="me_loans_calendar"),
    path("me/loans/<int:pk>/renew/", me.me_loan_renew, name="me_loan_renew"),
    path("me/holds/<int:pk>/suspend/", me.me_hold_suspend, name="me_hold_suspend"),
    path("me/holds/<int:pk>/resume/", me.me_hold_resume, name="me_hold_resume"),
    path("me/holds/<int:pk>/cancel/", me.me_hold_cancel, name="me_hold_cancel"),
    path("me/holds/<int:pk>/pickup/", me.me_hold_pickup, name="me_hold_pickup"),
    path("me/history/delete/", me.me_history_delete, name="me_history_delete"),
    path("me/history/<int:pk>/delete/", me.me_history_delete, name="me_history_delete_one"),
]
