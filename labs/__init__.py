"""The labs, one package each, one module per panel.

``labs.<lab>`` lists the lab's panels (``PANELS``, :class:`ui.panels.Panel`
entries in tab order), its URL prefix (``PREFIX``) and its header text
(``TITLE``, ``INTRO``); ``labs.<lab>.<panel>`` holds that panel's
``render()``: widgets, one cached dlcore call, charts. Pages in ``pages/``
are only the header, the panel tabs and the call.
"""
