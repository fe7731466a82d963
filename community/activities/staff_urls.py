"""The mediators' phone page for the knowledge survey, under /equipe/enquete/."""

from django.urls import path

from community.activities import survey_views

app_name = "staff_survey"

urlpatterns = [path("", survey_views.survey, name="survey")]
