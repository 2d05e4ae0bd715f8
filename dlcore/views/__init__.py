"""What each panel of a lab shows, computed in one call.

One module per lab, one function per panel: ``vectors_view(...)`` takes the
panel's control values and returns a NamedTuple of every number, array and
verdict the panel draws or writes, so the panel itself only reads widgets,
calls this, and hands the fields to charts and ``st.latex``. Keeping the view
arithmetic here (and not between the widgets and the charts) is what lets it
be tested without a browser.
"""
