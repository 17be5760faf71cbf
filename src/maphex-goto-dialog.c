/* being written: see the commit that fills it */
